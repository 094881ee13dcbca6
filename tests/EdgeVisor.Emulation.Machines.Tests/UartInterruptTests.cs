using System.Collections.Concurrent;
using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>UART0's RX interrupt (IRQ 0) waking a sleeping core when console input arrives later in wall time.</summary>
public class UartInterruptTests
{
    /// <summary>Sleeps in WFI; the RX handler echoes each byte shifted by one (newlines unchanged) and clears the interrupt.</summary>
    private const string InterruptEcho = """
        reset:
            ldr r0, =0x40004000
            movs r1, #0x0B          @ TX enable | RX enable | RX interrupt enable
            str r1, [r0, #8]
            ldr r0, =0xE000E100
            movs r1, #1             @ IRQ 0: UART0 RX
            str r1, [r0]
            cpsie i
        idle:
            wfi
            b idle
        .type rx, %function
        rx:
            ldr r0, =0x40004000
            ldr r2, [r0]            @ DATA
            movs r1, #2
            str r1, [r0, #0x0C]     @ INTCLEAR: RX
            cmp r2, #10
            it ne
            addne r2, r2, #1
            str r2, [r0]
            bx lr
        """;

    [Fact]
    public void A_core_asleep_waits_for_console_input_and_wakes_on_the_rx_interrupt()
    {
        using var input = new GatedInput();
        string elf = TinyFirmware.Build("rx-irq", InterruptEcho, handlers: new Dictionary<int, string> { [16 + 0] = "rx" });
        using var session = FirmwareSession.Start("mps2-an385", elf, new MachineOptions { ConsoleInput = input });
        session.WallTimeout = TimeSpan.FromSeconds(10);
        using var timer = new Timer(_ => input.Send("HAL\n"u8.ToArray()), null, 200, Timeout.Infinite);

        var line = session.WaitForUartLine("", TimeSpan.FromMilliseconds(10));
        Assert.Equal("IBM", line.Text);
        Assert.True(line.At < TimeSpan.FromMilliseconds(10)); // virtual time stood still while the host waited
    }

    /// <summary>Console input that arrives when the test sends it; reads block until then, and end when disposed.</summary>
    private sealed class GatedInput : Stream
    {
        private readonly BlockingCollection<byte[]> _chunks = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Send(byte[] bytes) => _chunks.Add(bytes);

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_chunks.TryTake(out var chunk, Timeout.Infinite))
            {
                return 0;
            }

            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _chunks.CompleteAdding();
            base.Dispose(disposing);
        }
    }
}
