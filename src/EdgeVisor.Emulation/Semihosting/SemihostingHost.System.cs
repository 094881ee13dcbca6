using System.Buffers.Binary;
using System.Text;
using EdgeVisor.Emulation.Semihosting.Files;

namespace EdgeVisor.Emulation.Semihosting;

/// <summary>Time, environment and exit: SYS_ISERROR, SYS_CLOCK, SYS_TIME, SYS_SYSTEM, SYS_GET_CMDLINE, SYS_HEAPINFO, SYS_EXIT(_EXTENDED), SYS_ELAPSED.</summary>
public sealed partial class SemihostingHost
{
    // Block: a status word. Returns 1 if it is an error value (negative), else 0.
    private long IsError(ulong block)
    {
        ulong status = Arg(block, 0);
        bool negative = _memory.WordSize == 4 ? (int)(uint)status < 0 : (long)status < 0;
        return negative ? 1 : 0;
    }

    // Centiseconds of virtual time since reset, so runs are reproducible.
    private long Clock(ulong parameter) => (long)((UInt128)_clock.Now * 100 / _clock.FrequencyHz);

    // Host wall-clock seconds since 1970.
    private long Time(ulong parameter) => _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    // Firmware must not run host commands.
    private long RunHostCommand(ulong parameter) => throw new SemihostingErrorException(SemihostingErrno.NotPermitted);

    // Block: buffer, buffer size (updated to the string length). Fails if the line and its NUL do not fit.
    private long GetCommandLine(ulong block)
    {
        ulong buffer = Arg(block, 0);
        ulong size = Arg(block, 1);
        var line = Encoding.UTF8.GetBytes(_options.CommandLine);
        if ((ulong)line.Length + 1 > size)
        {
            throw new SemihostingErrorException(SemihostingErrno.ArgumentListTooLong);
        }

        _memory.WriteFrom(buffer, [.. line, 0]);
        _memory.SetField(block, 1, (ulong)line.Length);
        return 0;
    }

    // Parameter: address of a word holding the address of a four-word block to fill.
    private long ReportHeapInfo(ulong parameter)
    {
        ulong block = _memory.ReadWord(parameter);
        var info = HeapInfo;
        _memory.SetField(block, 0, info.HeapBase);
        _memory.SetField(block, 1, info.HeapLimit);
        _memory.SetField(block, 2, info.StackBase);
        _memory.SetField(block, 3, info.StackLimit);
        return 0;
    }

    // Parameter: address of 8 bytes receiving the 64-bit tick count (ticks are core cycles; see SYS_TICKFREQ).
    private long Elapsed(ulong address)
    {
        Span<byte> ticks = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(ticks, _clock.Now);
        _memory.WriteFrom(address, ticks);
        return 0;
    }

    // AArch32: the parameter IS the reason code, so only "application exit" (0) or not (1) can be told.
    // AArch64: the parameter points to (reason, subcode) like SYS_EXIT_EXTENDED. Same rule as QEMU 7.2.
    private long Exit(ulong parameter)
    {
        if (_memory.WordSize == 8)
        {
            return ExitExtended(parameter);
        }

        _exitCode = parameter == ApplicationExit ? 0 : 1;
        return 0;
    }

    // Block: reason, subcode. Application exit gives the subcode (newlib's exit(n) status), anything else 1.
    private long ExitExtended(ulong block)
    {
        ulong reason = Arg(block, 0);
        ulong subcode = Arg(block, 1);
        _exitCode = reason == ApplicationExit ? (int)(uint)subcode : 1;
        return 0;
    }
}
