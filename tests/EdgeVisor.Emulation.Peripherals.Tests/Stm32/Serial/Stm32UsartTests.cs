using System.Text.Json;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Catalog;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.Usart;
using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.Serial;

public class Stm32UsartTests
{
    private const uint Sr = 0x00, Dr = 0x04, Brr = 0x08, Cr1 = 0x0C, Cr2 = 0x10, Cr3 = 0x14, Gtpr = 0x18;
    private const uint Pe = 1, Fe = 2, Ore = 8, Idle = 0x10, Rxne = 0x20, Tc = 0x40, Txe = 0x80;
    private const uint Re = 1 << 2, Te = 1 << 3, IdleIe = 1 << 4, RxneIe = 1 << 5, TcIe = 1 << 6, TxeIe = 1 << 7, M = 1 << 12, Ue = 1 << 13, Over8 = 1 << 15;
    private const int Line = 37;

    // 115200 baud from an 84 MHz PCLK2: BRR = 729 PCLK cycles per bit, 10 bits per 8N1 frame, 2 core cycles per PCLK cycle.
    private const uint Brr115200 = 729;
    private const ulong FrameCycles = 10 * 729 * 2;

    private readonly TestBench _bench = new(168_000_000);
    private readonly FakeStm32Clocks _clocks = new();
    private readonly List<(byte Value, ulong Cycle)> _sent = [];
    private readonly Stm32Usart _usart;

    public Stm32UsartTests()
    {
        _usart = new Stm32Usart("usart1", _bench.Clock, () => _clocks.PclkHz(2), null, _bench.Line(Line));
        _usart.Reset();
        _usart.ByteTransmitted += (b, cycle) => _sent.Add((b, cycle));
    }

    private uint Status => _usart.Read(Sr, 4);

    private bool Irq => _bench.Controller.Level(Line);

    private void Enable(uint extra = 0)
    {
        _usart.Write(Brr, Brr115200, 4);
        _usart.Write(Cr1, Ue | Te | Re | extra, 4);
    }

    [Fact]
    public void Reset_state_has_txe_and_tc_set_and_everything_else_clear()
    {
        Assert.Equal(Txe | Tc, Status);
        foreach (uint offset in new[] { Dr, Brr, Cr1, Cr2, Cr3, Gtpr })
        {
            Assert.Equal(0u, _usart.Read(offset, 4));
        }

        Assert.False(_usart.CanReceive);
    }

    [Fact]
    public void A_byte_takes_one_frame_at_the_baud_rate_and_a_second_waits_in_dr_until_then()
    {
        Enable();
        _usart.Write(Dr, 'A', 4);
        Assert.Equal(Txe, Status & (Txe | Tc)); // moved into the shift register at once: TXE set, TC clear
        _usart.Write(Dr, 'B', 4);
        Assert.Equal(0u, Status & (Txe | Tc));

        _bench.Advance(FrameCycles - 1);
        Assert.Equal(0u, Status & Txe);
        _bench.Advance(1);
        Assert.Equal(Txe, Status & (Txe | Tc)); // 'B' moved on at the end of 'A'
        _bench.Advance(FrameCycles - 1);
        Assert.Equal(0u, Status & Tc);
        _bench.Advance(1);
        Assert.Equal(Txe | Tc, Status & (Txe | Tc));
        Assert.Equal([((byte)'A', 0UL), ((byte)'B', FrameCycles)], _sent);
    }

    [Fact]
    public void Frame_length_follows_over8_word_length_and_stop_bits()
    {
        // Core clock as PCLK (no RCC); OVER8: 8 x 22 + 5 = 181 cycles per bit; 9 data bits and 2 stop bits: 12 bits.
        var usart = new Stm32Usart("usart1", _bench.Clock, () => _bench.Clock.FrequencyHz, null, _bench.Line(1));
        usart.Reset();
        usart.Write(Brr, (22 << 4) | 5, 4);
        usart.Write(Cr2, 2 << 12, 4);
        usart.Write(Cr1, Ue | Te | M | Over8, 4);
        usart.Write(Dr, 0x155, 4);
        _bench.Advance((12 * 181) - 1);
        Assert.Equal(0u, usart.Read(Sr, 4) & Tc);
        _bench.Advance(1);
        Assert.Equal(Tc, usart.Read(Sr, 4) & Tc);
    }

    [Fact]
    public void Txe_and_tc_interrupts_follow_the_flags_and_their_enables()
    {
        Enable(TxeIe);
        Assert.True(Irq); // TXE is set while idle
        _usart.Write(Dr, 'x', 4);
        _usart.Write(Dr, 'y', 4);
        Assert.False(Irq);
        _bench.Advance(FrameCycles);
        Assert.True(Irq);

        _usart.Write(Cr1, Ue | Te | TcIe, 4);
        Assert.False(Irq); // 'y' still shifting out
        _bench.Advance(FrameCycles);
        Assert.True(Irq);
        _usart.Write(Sr, ~Tc, 4); // TC is rc_w0
        Assert.False(Irq);
        Assert.Equal(Txe, Status & (Txe | Tc));
    }

    [Fact]
    public void Writing_zero_to_sr_clears_only_rxne_and_tc()
    {
        Enable();
        _usart.Receive(1);
        _usart.Receive(2); // overrun
        _usart.Write(Sr, 0, 4);
        Assert.Equal(Txe | Ore, Status & ~Idle);
    }

    [Fact]
    public void Received_byte_sets_rxne_and_reading_dr_clears_it()
    {
        Enable(RxneIe);
        Assert.True(_usart.CanReceive);
        _usart.Receive(0x5A);
        Assert.True(Irq);
        Assert.False(_usart.CanReceive);
        Assert.Equal(Rxne, Status & Rxne);
        Assert.Equal(0x5Au, _usart.Read(Dr, 4));
        Assert.Equal(0u, Status & Rxne);
        Assert.False(Irq);
        Assert.True(_usart.CanReceive);
    }

    [Fact]
    public void A_byte_arriving_before_dr_is_read_is_lost_and_sets_ore_until_sr_then_dr_are_read()
    {
        Enable(RxneIe);
        _usart.Receive(1);
        _usart.Receive(2);
        Assert.Equal(Ore | Rxne, Status & (Ore | Rxne)); // this SR read starts the clearing sequence
        Assert.Equal(1u, _usart.Read(Dr, 4));
        Assert.Equal(0u, Status & (Ore | Rxne));
        Assert.False(Irq);

        // ORE alone holds the interrupt while RXNEIE is set, and a DR read without a preceding SR read keeps it.
        _usart.Receive(3);
        _usart.Receive(4);
        Assert.Equal(3u, _usart.Read(Dr, 4));
        Assert.True(Irq);
        Assert.Equal(Ore, Status & (Ore | Rxne));
        _usart.Read(Dr, 4);
        Assert.False(Irq);
    }

    [Fact]
    public void Idle_is_set_one_frame_after_the_last_received_byte_and_interrupts_with_idleie()
    {
        Enable(IdleIe);
        _usart.Receive(7);
        _bench.Advance(FrameCycles - 1);
        Assert.Equal(0u, Status & Idle);
        _usart.Receive(8); // another byte restarts the idle timer
        _bench.Advance(FrameCycles - 1);
        Assert.False(Irq);
        _bench.Advance(1);
        Assert.True(Irq);
        Assert.Equal(Idle, Status & Idle);
        _usart.Read(Dr, 4);
        Assert.Equal(0u, Status & Idle);
        Assert.False(Irq);
    }

    [Fact]
    public void Receiver_off_drops_bytes()
    {
        _usart.Write(Cr1, Ue | Te, 4);
        Assert.False(_usart.CanReceive);
        _usart.Receive(9);
        Assert.Equal(Txe | Tc, Status);
    }

    [Fact]
    public void Transmitter_off_keeps_the_byte_until_te_is_set()
    {
        _usart.Write(Brr, Brr115200, 4);
        _usart.Write(Cr1, Ue, 4);
        _usart.Write(Dr, 'q', 4);
        Assert.Empty(_sent);
        Assert.Equal(0u, Status & Txe);
        _bench.Advance(1000);
        _usart.Write(Cr1, Ue | Te, 4);
        Assert.Equal([((byte)'q', 1000UL)], _sent);
        Assert.Equal(Txe, Status & (Txe | Tc));
    }

    [Fact]
    public void A_slower_pclk_from_rcc_stretches_the_next_frame()
    {
        Enable();
        _clocks.Set(2, 42_000_000, 84_000_000);
        _usart.Write(Dr, 'z', 4);
        _bench.Advance((2 * FrameCycles) - 1);
        Assert.Equal(0u, Status & Tc);
        _bench.Advance(1);
        Assert.Equal(Tc, Status & Tc);
    }

    [Fact]
    public void Control_registers_keep_only_implemented_bits_and_uart4_lacks_the_synchronous_ones()
    {
        _usart.Write(Cr1, 0xFFFF_FFFF, 4);
        _usart.Write(Cr2, 0xFFFF_FFFF, 4);
        _usart.Write(Cr3, 0xFFFF_FFFF, 4);
        _usart.Write(Gtpr, 0xFFFF_FFFF, 4);
        Assert.Equal(0xBFFFu & ~1u, _usart.Read(Cr1, 4) & ~1u); // SBK clears itself after the break
        Assert.Equal(0x7F6Fu, _usart.Read(Cr2, 4));
        Assert.Equal(0x0FFFu, _usart.Read(Cr3, 4));
        Assert.Equal(0xFFFFu, _usart.Read(Gtpr, 4));

        var uart = new Stm32Usart("uart4", _bench.Clock, () => 42_000_000, null, _bench.Line(52), uartOnly: true);
        uart.Reset();
        uart.Write(Cr2, 0xFFFF_FFFF, 4);
        uart.Write(Cr3, 0xFFFF_FFFF, 4);
        uart.Write(Gtpr, 0xFFFF_FFFF, 4);
        Assert.Equal(0x706Fu, uart.Read(Cr2, 4));
        Assert.Equal(0x08CFu, uart.Read(Cr3, 4));
        Assert.Equal(0u, uart.Read(Gtpr, 4));
    }

    [Fact]
    public void Error_interrupt_needs_eie_and_dmar()
    {
        const uint Eie = 1, Dmar = 1 << 6;
        Enable();
        _usart.Receive(1);
        _usart.Receive(2); // ORE
        Assert.False(Irq);
        _usart.Write(Cr3, Eie, 4);
        Assert.False(Irq);
        _usart.Write(Cr3, Eie | Dmar, 4);
        Assert.True(Irq);
        Assert.Equal(0u, Status & (Pe | Fe));
    }

    [Fact]
    public void Send_break_bit_clears_itself_after_one_frame()
    {
        Enable();
        _usart.Write(Cr1, Ue | Te | Re | 1, 4);
        Assert.Equal(1u, _usart.Read(Cr1, 4) & 1);
        _bench.Advance(FrameCycles);
        Assert.Equal(0u, _usart.Read(Cr1, 4) & 1);
    }

    [Fact]
    public void Catalog_builds_the_console_usart_on_its_apb_clock()
    {
        using var console = new MemoryStream();
        var context = new PeripheralContext(_bench.Clock, _bench.Router) { ConsoleOutput = console };
        context.Services.Add<IStm32Clocks>(_clocks);
        var description = new PeripheralDescription
        {
            Name = "usart2",
            Type = "stm32-usart",
            Base = 0x40004400,
            Interrupts = new Dictionary<string, int> { ["interrupt"] = 38 },
            Properties = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"apb": 1, "console": true}""")!,
        };
        var usart = Assert.IsAssignableFrom<IConsoleUart>(PeripheralCatalog.Create(description, context));
        usart.Write(Brr, 365, 4); // 115200 baud from 42 MHz
        usart.Write(Cr1, Ue | Te | TxeIe, 4);
        Assert.True(_bench.Controller.Level(38));
        usart.Write(Dr, 'h', 4);
        usart.Write(Dr, 'i', 4);
        _bench.Advance(10 * 365 * 4); // 4 core cycles per PCLK1 cycle
        Assert.Equal("hi", System.Text.Encoding.ASCII.GetString(console.ToArray()));
        Assert.Equal(Txe, usart.Read(Sr, 4) & (Txe | Tc));
    }

    [Fact]
    public void Catalog_rejects_an_apb_that_does_not_exist()
    {
        var description = new PeripheralDescription
        {
            Name = "usart9",
            Type = "stm32-usart",
            Base = 0x40011000,
            Properties = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"apb": 3}""")!,
        };
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(description, new PeripheralContext(_bench.Clock, _bench.Router)));
        Assert.Equal("peripheral usart9: property 'apb' must be 1 or 2, not 3", e.Message);
    }
}
