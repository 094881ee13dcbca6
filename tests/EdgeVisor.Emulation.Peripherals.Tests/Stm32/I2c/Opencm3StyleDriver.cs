using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>
/// The register sequence of libopencm3's i2c_transfer7 for the v1 peripheral: write phase (BUSY wait, START,
/// SB &amp; MSL|BUSY, address, ADDR, SR2, each byte then wait BTF), read phase after a repeated START (ACK on,
/// clear ADDR with SR2, ACK off before the last byte's RxNE), then STOP.
/// </summary>
internal sealed class Opencm3StyleDriver(I2cRig rig)
{
    public void Transfer7(int address, byte[] write, byte[] read)
    {
        if (write.Length > 0)
        {
            Write7(address, write);
        }

        if (read.Length > 0)
        {
            Read7(address, read);
        }
        else
        {
            rig.Set(Cr1, Stop);
        }
    }

    private void Write7(int address, byte[] data)
    {
        rig.Poll(() => (rig.Read(Sr2) & Busy) == 0, "bus free");
        rig.Set(Cr1, Start);
        WaitMasterModeSelected();
        rig.Write(Dr, (uint)(address << 1));
        rig.WaitSr1(Addr);
        rig.Read(Sr2);
        foreach (byte b in data)
        {
            rig.Write(Dr, b);
            rig.WaitSr1(Btf);
        }
    }

    private void Read7(int address, byte[] buffer)
    {
        rig.Set(Cr1, Start);
        rig.Set(Cr1, Ack);
        WaitMasterModeSelected();
        rig.Write(Dr, (uint)((address << 1) | 1));
        rig.WaitSr1(Addr);
        rig.Read(Sr2);
        for (int i = 0; i < buffer.Length; i++)
        {
            if (i == buffer.Length - 1)
            {
                rig.Clear(Cr1, Ack);
            }

            rig.WaitSr1(RxNE);
            buffer[i] = (byte)rig.Read(Dr);
        }

        rig.Set(Cr1, Stop);
    }

    // libopencm3 ANDs SR1's SB with SR2's MSL|BUSY (both bit 0 / bit 0-1): it waits for SB and MSL together.
    private void WaitMasterModeSelected() =>
        rig.Poll(() => (rig.Read(Sr1) & Sb & (rig.Read(Sr2) & (Msl | Busy))) != 0, "master mode selected");
}
