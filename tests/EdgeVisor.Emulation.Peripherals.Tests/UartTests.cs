using EdgeVisor.Emulation.Peripherals.Uart;

namespace EdgeVisor.Emulation.Peripherals.Tests;

public sealed class UartTests : IDisposable
{
    private const uint Data = 0x00, State = 0x04, Ctrl = 0x08, IntStatus = 0x0C, BaudDiv = 0x10;
    private const int RxLine = 0, TxLine = 1, OverrunLine = 12, CombinedLine = 30;

    private readonly TestBench _bench = new();
    private readonly MemoryStream _sink = new();
    private readonly CmsdkApbUart _uart;

    public UartTests()
    {
        _uart = new CmsdkApbUart("uart0", _bench.Clock, _sink, new UartInterrupts(
            _bench.Line(TxLine), _bench.Line(RxLine), _bench.Line(OverrunLine), _bench.Line(OverrunLine), _bench.Line(CombinedLine)));
        _uart.Reset();
    }

    public void Dispose() => _sink.Dispose();

    [Fact]
    public void Reset_values_and_identification_registers_match_the_cmsdk_uart()
    {
        Assert.Equal(0u, _uart.Read(State, 4));
        Assert.Equal(0u, _uart.Read(Ctrl, 4));
        Assert.Equal(0u, _uart.Read(IntStatus, 4));
        Assert.Equal(0u, _uart.Read(BaudDiv, 4));
        uint[] ids = [.. Enumerable.Range(0, 12).Select(i => _uart.Read(0xFD0 + (uint)(4 * i), 4))];
        Assert.Equal([0x04u, 0, 0, 0, 0x21, 0xB8, 0x1B, 0, 0x0D, 0xF0, 0x05, 0xB1], ids);
        Assert.Equal(0u, _uart.Read(0x14, 4)); // not a register: reads as zero
    }

    [Fact]
    public void Transmit_with_tx_enabled_goes_to_the_sink_at_once_and_reports_the_cycle()
    {
        var sent = new List<(byte, ulong)>();
        _uart.ByteTransmitted += (b, c) => sent.Add((b, c));
        _uart.Write(Ctrl, 1, 4);
        _bench.Advance(1234);
        _uart.Write(Data, 'h', 1);
        _uart.Write(Data, 'i', 4);
        Assert.Equal("hi"u8.ToArray(), _sink.ToArray());
        Assert.Equal([((byte)'h', 1234UL), ((byte)'i', 1234UL)], sent);
        Assert.Equal(0u, _uart.Read(State, 4) & 1); // TXFULL clear again: the byte is gone
    }

    [Fact]
    public void Transmit_while_disabled_keeps_the_byte_and_a_second_write_overruns()
    {
        _uart.Write(Data, 'x', 4);
        Assert.Empty(_sink.ToArray());
        Assert.Equal(1u, _uart.Read(State, 4)); // TXFULL
        _uart.Write(Data, 'y', 4);
        Assert.Equal(0b101u, _uart.Read(State, 4)); // TXFULL | TXOVERRUN
        _uart.Write(State, 0b100, 4); // overrun flags are write-one-to-clear
        Assert.Equal(1u, _uart.Read(State, 4));
    }

    [Fact]
    public void Tx_interrupt_is_raised_per_byte_sent_and_cleared_by_intclear()
    {
        _uart.Write(Ctrl, 0b101, 4); // TX enable + TX interrupt enable
        Assert.False(_bench.Controller.Level(TxLine));
        _uart.Write(Data, 'a', 4);
        Assert.Equal(1u, _uart.Read(IntStatus, 4));
        Assert.True(_bench.Controller.Level(TxLine));
        Assert.True(_bench.Controller.Level(CombinedLine));
        _uart.Write(IntStatus, 1, 4);
        Assert.Equal(0u, _uart.Read(IntStatus, 4));
        Assert.False(_bench.Controller.Level(TxLine));
        Assert.False(_bench.Controller.Level(CombinedLine));
    }

    [Fact]
    public void Receive_fills_the_buffer_raises_rx_and_reading_data_empties_it()
    {
        Assert.False(_uart.CanReceive); // receiver disabled at reset
        _uart.Write(Ctrl, 0b1010, 4); // RX enable + RX interrupt enable
        Assert.True(_uart.CanReceive);
        _uart.Receive((byte)'q');
        Assert.Equal(0b10u, _uart.Read(State, 4));
        Assert.True(_bench.Controller.Level(RxLine));
        Assert.False(_uart.CanReceive);
        Assert.Equal((uint)'q', _uart.Read(Data, 4));
        Assert.Equal(0u, _uart.Read(State, 4));
        Assert.True(_bench.Controller.Level(RxLine)); // the interrupt stays until cleared
        _uart.Write(IntStatus, 0b10, 4);
        Assert.False(_bench.Controller.Level(RxLine));
    }

    [Fact]
    public void Rx_overrun_interrupt_follows_the_flag_and_its_enable_and_clearing_it_clears_the_flag()
    {
        _uart.Write(Ctrl, 0b10, 4);
        _uart.Receive(1);
        _uart.Receive(2);
        Assert.Equal(0b1010u, _uart.Read(State, 4)); // RXFULL | RXOVERRUN
        Assert.Equal(0u, _uart.Read(IntStatus, 4)); // overrun interrupt not enabled
        _uart.Write(Ctrl, 0b100010, 4); // + RX overrun interrupt enable
        Assert.Equal(0b1000u, _uart.Read(IntStatus, 4));
        Assert.True(_bench.Controller.Level(OverrunLine));
        _uart.Write(IntStatus, 0b1000, 4);
        Assert.Equal(0b10u, _uart.Read(State, 4));
        Assert.False(_bench.Controller.Level(OverrunLine));
        Assert.Equal(2u, _uart.Read(Data, 4)); // the newer byte won
    }

    [Fact]
    public void Ctrl_keeps_seven_bits_and_bauddiv_twenty()
    {
        _uart.Write(Ctrl, 0xFFFFFFFF, 4);
        _uart.Write(BaudDiv, 0xFFFFFFFF, 4);
        Assert.Equal(0x7Fu, _uart.Read(Ctrl, 4));
        Assert.Equal(0xFFFFFu, _uart.Read(BaudDiv, 4));
    }
}
