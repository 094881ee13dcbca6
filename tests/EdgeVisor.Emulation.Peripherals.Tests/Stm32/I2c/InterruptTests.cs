using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>The event (ITEVTEN, ITBUFEN) and error (ITERREN) interrupt lines, driven as an interrupt-mode driver does.</summary>
public class InterruptTests
{
    private readonly I2cRig _rig = new();

    public InterruptTests() => _rig.Init();

    private bool EventLine => _rig.Bench.Controller.Level(I2cRig.EventLine);

    private bool ErrorLine => _rig.Bench.Controller.Level(I2cRig.ErrorLine);

    [Fact]
    public void An_interrupt_driven_write_gets_one_event_per_step_and_the_line_drops_when_handled()
    {
        var target = _rig.Attach(0x48);
        byte[] data = [0x08, 0x11, 0x22];
        int next = 0;
        var seen = new List<string>();
        _rig.Write(Cr2, 42 | ItEvtEn | ItBufEn | ItErrEn);
        _rig.Set(Cr1, Start);
        bool done = false;
        while (!done)
        {
            _rig.Poll(() => EventLine, "event interrupt");

            // The I2C1_EV handler: one SR1 read decides what happened.
            uint sr1 = _rig.Read(Sr1);
            if ((sr1 & Sb) != 0)
            {
                seen.Add("SB");
                _rig.Write(Dr, 0x48 << 1);
            }
            else if ((sr1 & Addr) != 0)
            {
                seen.Add("ADDR");
                _rig.Read(Sr2);
            }
            else if ((sr1 & TxE) != 0 && next < data.Length)
            {
                seen.Add("TXE");
                _rig.Write(Dr, data[next++]);
            }
            else if ((sr1 & Btf) != 0)
            {
                seen.Add("BTF");
                _rig.Clear(Cr2, ItEvtEn | ItBufEn | ItErrEn); // as the HAL does before its STOP
                _rig.Set(Cr1, Stop);
                done = true;
            }
            else
            {
                // TxE with nothing left: the HAL turns the buffer interrupt off and waits for BTF.
                seen.Add("TXE(last)");
                _rig.Clear(Cr2, ItBufEn);
            }

            _rig.Bench.Advance(20);
        }

        _rig.Settle();
        Assert.Equal(["SB", "ADDR", "TXE", "TXE", "TXE", "TXE(last)", "BTF"], seen);
        Assert.False(EventLine);
        Assert.Equal([0x11, 0x22], target.Memory[0x08..0x0A]);
        Assert.False(ErrorLine);
    }

    [Fact]
    public void TxE_and_RxNE_need_ITBUFEN_as_well_as_ITEVTEN()
    {
        _rig.Attach(0x48);
        _rig.Write(Cr2, 42 | ItEvtEn);
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        Assert.True(EventLine);
        _rig.Write(Dr, 0x48 << 1);
        Assert.False(EventLine); // SB cleared
        _rig.WaitSr1(Addr);
        _rig.Read(Sr2);
        Assert.Equal(TxE, _rig.Read(Sr1) & TxE);
        Assert.False(EventLine); // TxE alone does not interrupt without ITBUFEN
        _rig.Set(Cr2, ItBufEn);
        Assert.True(EventLine);
    }

    [Fact]
    public void An_address_NACK_raises_the_error_line_until_AF_is_cleared()
    {
        _rig.Write(Cr2, 42 | ItErrEn);
        _rig.Set(Cr1, Start);
        _rig.WaitSr1(Sb);
        _rig.Write(Dr, 0x22 << 1);
        _rig.Poll(() => ErrorLine, "error interrupt");
        Assert.Equal(Af, _rig.Read(Sr1) & Af);
        _rig.Set(Cr1, Stop);
        _rig.Write(Sr1, ~Af & 0xFFFF);
        Assert.False(ErrorLine);
        Assert.False(EventLine); // ITEVTEN is off
    }

    [Fact]
    public void An_interrupt_driven_read_of_three_bytes_gets_RxNE_events()
    {
        var target = _rig.Attach(0x48);
        target.Memory[0] = 0x5A;
        target.Memory[1] = 0x6B;
        target.Memory[2] = 0x7C;
        var received = new List<byte>();
        _rig.Write(Cr2, 42 | ItEvtEn | ItBufEn);
        _rig.Set(Cr1, Ack | Start);
        while (received.Count < 3)
        {
            _rig.Poll(() => EventLine, "event interrupt");
            uint sr1 = _rig.Read(Sr1);
            if ((sr1 & Sb) != 0)
            {
                _rig.Write(Dr, (0x48 << 1) | 1);
            }
            else if ((sr1 & Addr) != 0)
            {
                _rig.Read(Sr2);
            }
            else if ((sr1 & RxNE) != 0)
            {
                received.Add((byte)_rig.Read(Dr));
                if (received.Count == 2)
                {
                    // Second-to-last byte read (the last is on the wire now): NACK it and STOP after it.
                    _rig.Clear(Cr1, Ack);
                    _rig.Set(Cr1, Stop);
                }
            }
        }

        _rig.Settle();
        Assert.Equal([0x5A, 0x6B, 0x7C], received);
        Assert.False(EventLine);
        Assert.Equal(["S R", "R 5A ack", "R 6B ack", "R 7C nack", "P"], target.Log);
    }
}
