using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>
/// The register sequences of the ST HAL's polling I2C master functions for the F4 (Master_Transmit,
/// Master_Receive, Mem_Write, Mem_Read), written out step by step against the rig. Returns false where the HAL
/// returns HAL_ERROR after an acknowledge failure (it sends STOP and clears AF first, as the HAL does).
/// </summary>
internal sealed class HalStyleDriver(I2cRig rig)
{
    public bool MasterTransmit(int address, byte[] data)
    {
        if (!RequestWrite(address))
        {
            return false;
        }

        return SendBytes(data);
    }

    public bool MasterReceive(int address, byte[] buffer)
    {
        rig.Poll(() => (rig.Read(Sr2) & Busy) == 0, "bus free");
        rig.Clear(Cr1, Pos);
        rig.Set(Cr1, Ack);
        rig.Set(Cr1, Start);
        rig.WaitSr1(Sb);
        rig.Write(Dr, (uint)((address << 1) | 1));
        if (!WaitAddress())
        {
            return false;
        }

        ReceiveAfterAddress(buffer);
        return true;
    }

    public bool MemWrite(int address, byte memoryAddress, byte[] data)
    {
        if (!RequestWrite(address) || !WaitTxe())
        {
            return false;
        }

        rig.Write(Dr, memoryAddress);
        return SendBytes(data);
    }

    public bool MemRead(int address, byte memoryAddress, byte[] buffer)
    {
        rig.Poll(() => (rig.Read(Sr2) & Busy) == 0, "bus free");
        rig.Clear(Cr1, Pos);
        rig.Set(Cr1, Ack);
        rig.Set(Cr1, Start);
        rig.WaitSr1(Sb);
        rig.Write(Dr, (uint)(address << 1));
        if (!WaitAddress())
        {
            return false;
        }

        ClearAddr();
        if (!WaitTxe())
        {
            return false;
        }

        rig.Write(Dr, memoryAddress);
        if (!WaitTxe())
        {
            return false;
        }

        rig.Set(Cr1, Start); // repeated START after the memory address byte
        rig.WaitSr1(Sb);
        rig.Write(Dr, (uint)((address << 1) | 1));
        if (!WaitAddress())
        {
            return false;
        }

        ReceiveAfterAddress(buffer);
        return true;
    }

    private bool RequestWrite(int address)
    {
        rig.Poll(() => (rig.Read(Sr2) & Busy) == 0, "bus free");
        rig.Clear(Cr1, Pos);
        rig.Set(Cr1, Start);
        rig.WaitSr1(Sb);
        rig.Write(Dr, (uint)(address << 1));
        if (!WaitAddress())
        {
            return false;
        }

        ClearAddr();
        return true;
    }

    private bool SendBytes(byte[] data)
    {
        int i = 0;
        while (i < data.Length)
        {
            if (!WaitTxe())
            {
                return false;
            }

            rig.Write(Dr, data[i++]);
            if ((rig.Read(Sr1) & Btf) != 0 && i < data.Length)
            {
                rig.Write(Dr, data[i++]);
            }

            if (!WaitFlagOrAf(Btf))
            {
                return false;
            }
        }

        rig.Set(Cr1, Stop);
        return true;
    }

    private void ReceiveAfterAddress(byte[] buffer)
    {
        int n = buffer.Length;
        switch (n)
        {
            case 0:
                ClearAddr();
                rig.Set(Cr1, Stop);
                break;
            case 1:
                rig.Clear(Cr1, Ack);
                ClearAddr();
                rig.Set(Cr1, Stop);
                break;
            case 2:
                rig.Clear(Cr1, Ack);
                rig.Set(Cr1, Pos);
                ClearAddr();
                break;
            default:
                rig.Set(Cr1, Ack);
                ClearAddr();
                break;
        }

        int i = 0;
        while (i < n)
        {
            int left = n - i;
            if (left == 1)
            {
                rig.WaitSr1(RxNE);
                buffer[i++] = (byte)rig.Read(Dr);
            }
            else if (left == 2)
            {
                rig.WaitSr1(Btf);
                rig.Set(Cr1, Stop);
                buffer[i++] = (byte)rig.Read(Dr);
                buffer[i++] = (byte)rig.Read(Dr);
            }
            else if (left == 3)
            {
                rig.WaitSr1(Btf);
                rig.Clear(Cr1, Ack);
                buffer[i++] = (byte)rig.Read(Dr);
                rig.WaitSr1(Btf);
                rig.Set(Cr1, Stop);
                buffer[i++] = (byte)rig.Read(Dr);
                buffer[i++] = (byte)rig.Read(Dr);
            }
            else
            {
                rig.WaitSr1(RxNE);
                buffer[i++] = (byte)rig.Read(Dr);
                if ((rig.Read(Sr1) & Btf) != 0)
                {
                    buffer[i++] = (byte)rig.Read(Dr);
                }
            }
        }
    }

    private void ClearAddr()
    {
        rig.Read(Sr1);
        rig.Read(Sr2);
    }

    /// <summary>The HAL's address wait: AF means the address was not acknowledged, so STOP, clear AF and fail.</summary>
    private bool WaitAddress() => WaitFlagOrAf(Addr);

    private bool WaitTxe() => WaitFlagOrAf(TxE);

    private bool WaitFlagOrAf(uint flag)
    {
        bool failed = false;
        rig.Poll(
            () =>
            {
                uint sr1 = rig.Read(Sr1);
                failed = (sr1 & Af) != 0;
                return failed || (sr1 & flag) != 0;
            },
            $"SR1 0x{flag:X}");
        if (failed)
        {
            rig.Set(Cr1, Stop);
            rig.Write(Sr1, ~Af & 0xFFFF);
        }

        return !failed;
    }
}
