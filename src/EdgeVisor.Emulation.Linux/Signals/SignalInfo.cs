using System.Buffers.Binary;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// One queued signal as the guest's siginfo_t describes it (128 bytes: si_signo, si_errno, si_code, then a union at
/// offset 16 whose meaning depends on the code). <see cref="Raw"/> carries a guest-supplied siginfo
/// (rt_sigqueueinfo) verbatim.
/// </summary>
public sealed record SignalInfo(int Signal, int Code, int Pid = 0, int Uid = 0, ulong Address = 0, int Status = 0, ulong Value = 0, byte[]? Raw = null)
{
    /// <summary>sizeof(siginfo_t).</summary>
    public const int Size = 128;

    /// <summary>A kill()/raise() from process <paramref name="pid"/>.</summary>
    public static SignalInfo FromUser(int signal, int pid, int uid, int code = SignalNumbers.SI_USER) => new(signal, code, pid, uid);

    /// <summary>A fault of the instruction at hand (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE): si_addr is set.</summary>
    public static SignalInfo FromFault(int signal, int code, ulong address) => new(signal, code, Address: address);

    /// <summary>Writes the guest's siginfo_t.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[..Size].Clear();
        if (Raw is not null)
        {
            Raw.AsSpan(0, Math.Min(Raw.Length, Size)).CopyTo(destination);
            BinaryPrimitives.WriteInt32LittleEndian(destination, Signal);
            return;
        }

        BinaryPrimitives.WriteInt32LittleEndian(destination, Signal);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], Code);
        if (IsFault(Signal) && Code > 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Address);
            return;
        }

        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], Pid);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], Uid);
        if (Signal == SignalNumbers.SIGCHLD)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[24..], Status);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], Value);
        }
    }

    private static bool IsFault(int signal) => signal is SignalNumbers.SIGSEGV or SignalNumbers.SIGBUS or SignalNumbers.SIGILL or SignalNumbers.SIGTRAP or SignalNumbers.SIGFPE;
}
