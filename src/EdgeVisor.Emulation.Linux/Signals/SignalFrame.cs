using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Linux.Signals;

/// <summary>
/// The arm64 kernel's signal frame (struct rt_sigframe): siginfo (128 bytes), then the ucontext: uc_flags, uc_link,
/// uc_stack (24), uc_sigmask (8), padding to 1024 bits of sigset, and at offset 176 the 16-byte aligned sigcontext
/// {fault_address, regs[31], sp, pc, pstate, __reserved[4096]} whose reserved area holds an fpsimd_context record
/// and a terminating null record. Above the frame sits a frame record {x29, x30} that the handler's X29 points at,
/// so backtraces walk through a signal.
/// </summary>
public static class SignalFrame
{
    public const int InfoOffset = 0;
    public const int UContextOffset = SignalInfo.Size;
    public const int UcStackOffset = UContextOffset + 16;
    public const int UcSigmaskOffset = UContextOffset + 40;
    public const int SigcontextOffset = UContextOffset + 176;
    public const int FaultAddressOffset = SigcontextOffset;
    public const int RegsOffset = SigcontextOffset + 8;
    public const int SpOffset = SigcontextOffset + 256;
    public const int PcOffset = SigcontextOffset + 264;
    public const int PstateOffset = SigcontextOffset + 272;
    public const int ReservedOffset = SigcontextOffset + 288;
    public const int ReservedSize = 4096;

    /// <summary>sizeof(struct rt_sigframe) = 4688, a multiple of 16.</summary>
    public const int Size = ReservedOffset + ReservedSize;

    public const uint FpsimdMagic = 0x46508001;
    public const int FpsimdSize = 528;

    /// <summary>
    /// Writes the frame for <paramref name="info"/> below <paramref name="stackTop"/> and returns the frame's address
    /// (16-byte aligned), or null when the stack is not writable. Registers are not changed.
    /// </summary>
    public static ulong? Write(Arm64Cpu cpu, GuestMemory memory, ulong stackTop, SignalInfo info, ulong savedMask, ulong faultAddress, (ulong Base, int Flags, ulong Size) altStack)
    {
        ulong record = (stackTop - 16) & ~15UL;
        ulong frame = (record - Size) & ~15UL;
        Span<byte> recordBytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(recordBytes, cpu.X[29]);
        BinaryPrimitives.WriteUInt64LittleEndian(recordBytes[8..], cpu.X[30]);

        var bytes = new byte[Size];
        var span = bytes.AsSpan();
        info.WriteTo(span[InfoOffset..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[UcStackOffset..], altStack.Base);
        BinaryPrimitives.WriteInt32LittleEndian(span[(UcStackOffset + 8)..], altStack.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(UcStackOffset + 16)..], altStack.Size);
        BinaryPrimitives.WriteUInt64LittleEndian(span[UcSigmaskOffset..], savedMask);
        BinaryPrimitives.WriteUInt64LittleEndian(span[FaultAddressOffset..], faultAddress);
        for (int r = 0; r < 31; r++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[(RegsOffset + (8 * r))..], cpu.X[r]);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span[SpOffset..], cpu.Sp);
        BinaryPrimitives.WriteUInt64LittleEndian(span[PcOffset..], cpu.Pc);
        BinaryPrimitives.WriteUInt64LittleEndian(span[PstateOffset..], cpu.Nzcv);

        var fp = span[ReservedOffset..];
        BinaryPrimitives.WriteUInt32LittleEndian(fp, FpsimdMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(fp[4..], FpsimdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(fp[8..], cpu.Fpsr);
        BinaryPrimitives.WriteUInt32LittleEndian(fp[12..], cpu.Fpcr);
        for (int v = 0; v < 32; v++)
        {
            cpu.V[v].CopyTo(fp[(16 + (16 * v))..]);
        }

        // The null record after fpsimd_context is already zero.
        if (!memory.TryWrite(record, recordBytes) || !memory.TryWrite(frame, span))
        {
            return null;
        }

        return frame;
    }

    /// <summary>
    /// rt_sigreturn: reloads registers, flags, FP/SIMD state from the frame at <paramref name="frame"/> and returns
    /// the saved signal mask and uc_stack, or null when the frame is unreadable or malformed (the kernel sends
    /// SIGSEGV then).
    /// </summary>
    public static (ulong Mask, ulong AltBase, int AltFlags, ulong AltSize)? Restore(Arm64Cpu cpu, GuestMemory memory, ulong frame)
    {
        if ((frame & 15) != 0)
        {
            return null;
        }

        var bytes = new byte[Size];
        if (!memory.TryRead(frame, bytes))
        {
            return null;
        }

        ReadOnlySpan<byte> span = bytes;
        ulong pstate = BinaryPrimitives.ReadUInt64LittleEndian(span[PstateOffset..]);
        ulong pc = BinaryPrimitives.ReadUInt64LittleEndian(span[PcOffset..]);
        if ((pstate & 0x0F) != 0 || (pc & 3) != 0)
        {
            return null; // only EL0t with A64 is a valid return target
        }

        // Walk the records in __reserved for fpsimd_context; others (esr, extra) are skipped, a bad size is an error.
        bool fpFound = false;
        for (int offset = 0; offset + 8 <= ReservedSize;)
        {
            var head = span[(ReservedOffset + offset)..];
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            if (magic == 0)
            {
                break;
            }

            if (size < 8 || (size & 15) != 0 || offset + size > ReservedSize)
            {
                return null;
            }

            if (magic == FpsimdMagic)
            {
                if (size != FpsimdSize)
                {
                    return null;
                }

                cpu.Fpsr = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
                cpu.Fpcr = BinaryPrimitives.ReadUInt32LittleEndian(head[12..]);
                for (int v = 0; v < 32; v++)
                {
                    cpu.V[v] = Vector128.Create(head.Slice(16 + (16 * v), 16));
                }

                fpFound = true;
            }

            offset += (int)size;
        }

        if (!fpFound)
        {
            return null;
        }

        for (int r = 0; r < 31; r++)
        {
            cpu.X[r] = BinaryPrimitives.ReadUInt64LittleEndian(span[(RegsOffset + (8 * r))..]);
        }

        cpu.Sp = BinaryPrimitives.ReadUInt64LittleEndian(span[SpOffset..]);
        cpu.Pc = pc;
        cpu.Nzcv = (uint)pstate & 0xF0000000;
        cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;
        return (BinaryPrimitives.ReadUInt64LittleEndian(span[UcSigmaskOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[UcStackOffset..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[(UcStackOffset + 8)..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[(UcStackOffset + 16)..]));
    }
}
