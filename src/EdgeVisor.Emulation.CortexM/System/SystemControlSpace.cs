using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>
/// The System Control Space window (0xE000E000..0xE000EFFF) on the bus: routes each register to
/// the block that owns it (SCB, SysTick, NVIC, MPU, FP control, STIR). Registers are 32-bit; byte and
/// halfword accesses read the containing word and write only their byte lanes, which is what the
/// byte-accessible priority registers need and harmless for the others. Addresses nobody decodes are
/// RAZ/WI. Unprivileged accesses are bus faults, except STIR writes when CCR.USERSETMPEND is set.
/// </summary>
public sealed class SystemControlSpace : IMmioDevice
{
    /// <summary>Where the window is mapped.</summary>
    public const uint BaseAddress = 0xE000E000;

    /// <summary>Size of the window.</summary>
    public const uint Size = 0x1000;

    private const uint StirOffset = 0xF00;

    private readonly CortexMCpu _cpu;

    internal SystemControlSpace(CortexMCpu cpu) => _cpu = cpu;

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        CheckAccess(offset, size, false);
        uint word = ReadWord(offset & ~3u);
        int shift = 8 * (int)(offset & 3);
        return size == 4 ? word : (word >> shift) & (size == 2 ? 0xFFFFu : 0xFFu);
    }

    /// <inheritdoc/>
    public void Write(uint offset, uint value, int size)
    {
        CheckAccess(offset, size, true);
        int shift = 8 * (int)(offset & 3);
        uint lanes = size switch
        {
            4 => 0xFFFFFFFFu,
            2 => 0xFFFFu << shift,
            _ => 0xFFu << shift,
        };
        WriteWord(offset & ~3u, value << shift, lanes);
    }

    private void CheckAccess(uint offset, int size, bool write)
    {
        if ((offset & (uint)(size - 1)) != 0)
        {
            throw new BusFaultException(BaseAddress + offset, write, "unaligned access to the System Control Space");
        }

        if (!_cpu.Privileged && !(write && offset == StirOffset && _cpu.Scb.UserSetPend))
        {
            throw new BusFaultException(BaseAddress + offset, write, "unprivileged access to the System Control Space");
        }
    }

    private uint ReadWord(uint offset)
    {
        uint value;
        _ = _cpu.SysTick.TryRead(offset, out value)
            || _cpu.Nvic.TryRead(offset, out value)
            || _cpu.Mpu.TryRead(offset, out value)
            || _cpu.FpControl.TryRead(offset, out value)
            || _cpu.Scb.TryRead(offset, out value);
        return value;
    }

    private void WriteWord(uint offset, uint value, uint lanes)
    {
        if (offset == StirOffset)
        {
            if (!_cpu.CpuModel.IsV6M)
            {
                _cpu.Nvic.SetPending(ExceptionNumber.FirstExternal + (int)(value & lanes & 0x1FF), true);
            }

            return;
        }

        _ = _cpu.SysTick.TryWrite(offset, value, lanes)
            || _cpu.Nvic.TryWrite(offset, value, lanes)
            || _cpu.Mpu.TryWrite(offset, value, lanes)
            || _cpu.FpControl.TryWrite(offset, value, lanes)
            || _cpu.Scb.TryWrite(offset, value, lanes);
    }
}
