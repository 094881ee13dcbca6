using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Signals;
using static EdgeVisor.Emulation.Linux.Signals.SignalNumbers;

namespace EdgeVisor.Emulation.Linux.Tests.Signals;

public sealed class SignalFrameTests
{
    private const ulong Handler = 0x40_0000;
    private const ulong ActionAddress = KernelHarness.Data;
    private const ulong OldActionAddress = KernelHarness.Data + 0x100;

    private static void InstallHandler(KernelHarness h, int signal, ulong flags, ulong mask = 0)
    {
        h.Memory.TryWriteStruct(ActionAddress, new SignalAction(Handler, flags, 0, mask));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigaction, (ulong)signal, ActionAddress, 0, 8));
    }

    [Fact]
    public void Frame_layout_matches_the_arm64_kernel_rt_sigframe()
    {
        Assert.Equal(4688, SignalFrame.Size);
        Assert.Equal(128, SignalFrame.UContextOffset);
        Assert.Equal(168, SignalFrame.UcSigmaskOffset);
        Assert.Equal(304, SignalFrame.SigcontextOffset);
        Assert.Equal(0, SignalFrame.SigcontextOffset % 16);
        Assert.Equal(304 + 288, SignalFrame.ReservedOffset);
    }

    [Fact]
    public void Handler_gets_signo_siginfo_ucontext_and_a_frame_holding_every_register()
    {
        using var h = new KernelHarness();
        InstallHandler(h, SIGUSR1, SA_SIGINFO, mask: Bit(SIGUSR2));
        var cpu = h.Thread.Cpu;
        for (int r = 0; r < 31; r++)
        {
            cpu.X[r] = 0x1000UL + (ulong)r;
        }

        cpu.Pc = 0x12340;
        cpu.Sp = KernelHarness.StackTop - 0x18;
        cpu.Nzcv = 0xA000_0000;
        cpu.Fpcr = 0x0040_0000;
        cpu.Fpsr = 0x10;
        cpu.V[7] = Vector128.Create((byte)7);

        Assert.Equal(0, h.Call(SyscallNumber.Tgkill, (ulong)Environment.ProcessId, (ulong)h.Thread.Tid, SIGUSR1));
        SignalDelivery.DeliverPending(h.Thread);

        ulong frame = cpu.Sp;
        Assert.Equal(0UL, frame % 16);
        Assert.True(frame + SignalFrame.Size <= KernelHarness.StackTop - 0x18);
        Assert.Equal(Handler, cpu.Pc);
        Assert.Equal((ulong)SIGUSR1, cpu.X[0]);
        Assert.Equal(frame, cpu.X[1]);
        Assert.Equal(frame + 128, cpu.X[2]);
        Assert.Equal(SignalTrampoline.Address, cpu.X[30]);

        // siginfo: signo, code SI_TKILL, pid
        Assert.True(h.Memory.TryReadInt32(frame, out int signo));
        Assert.Equal(SIGUSR1, signo);
        Assert.True(h.Memory.TryReadInt32(frame + 8, out int code));
        Assert.Equal(SI_TKILL, code);
        Assert.True(h.Memory.TryReadInt32(frame + 16, out int pid));
        Assert.Equal(Environment.ProcessId, pid);

        // sigcontext: regs, sp, pc, pstate, then the fpsimd record and a null terminator
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.RegsOffset + (8 * 5), out ulong x5));
        Assert.Equal(0x1005UL, x5);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.SpOffset, out ulong sp));
        Assert.Equal(KernelHarness.StackTop - 0x18, sp);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.PcOffset, out ulong pc));
        Assert.Equal(0x12340UL, pc);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.PstateOffset, out ulong pstate));
        Assert.Equal(0xA000_0000UL, pstate);
        Assert.True(h.Memory.TryReadInt32(frame + SignalFrame.ReservedOffset, out int magic));
        Assert.Equal(0x46508001, magic);
        Assert.True(h.Memory.TryReadInt32(frame + SignalFrame.ReservedOffset + 4, out int size));
        Assert.Equal(528, size);
        Assert.True(h.Memory.TryReadInt32(frame + SignalFrame.ReservedOffset + 12, out int fpcr));
        Assert.Equal(0x0040_0000, fpcr);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.ReservedOffset + 16 + (16 * 7), out ulong v7));
        Assert.Equal(0x0707070707070707UL, v7);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.ReservedOffset + 528, out ulong terminator));
        Assert.Equal(0UL, terminator);

        // During the handler the signal itself and sa_mask are blocked; the frame keeps the old mask.
        Assert.Equal(Bit(SIGUSR1) | Bit(SIGUSR2), h.Thread.SignalState.Blocked);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.UcSigmaskOffset, out ulong savedMask));
        Assert.Equal(0UL, savedMask);

        // X29 points at a frame record {old x29, old x30} just above the frame.
        Assert.True(h.Memory.TryReadUInt64(cpu.X[29], out ulong oldFp));
        Assert.Equal(0x101DUL, oldFp);
        Assert.True(h.Memory.TryReadUInt64(cpu.X[29] + 8, out ulong oldLr));
        Assert.Equal(0x101EUL, oldLr);
    }

    [Fact]
    public void Sigreturn_restores_registers_flags_vectors_and_mask()
    {
        using var h = new KernelHarness();
        InstallHandler(h, SIGUSR1, SA_SIGINFO);
        var cpu = h.Thread.Cpu;
        cpu.X[3] = 33;
        cpu.X[8] = 0x55;
        cpu.Pc = 0x20000;
        cpu.Nzcv = 0x6000_0000;
        cpu.V[31] = Vector128.Create(0x1122334455667788UL, 0x99AABBCCDDEEFF00UL).AsByte();
        ulong sp = cpu.Sp;
        h.Thread.SignalState.Pending.Add(SignalInfo.FromUser(SIGUSR1, 1, 0));
        SignalDelivery.DeliverPending(h.Thread);

        // The handler scribbles over everything, then returns through the trampoline (svc with x8 = 139).
        cpu.X[3] = 0;
        cpu.V[31] = Vector128<byte>.Zero;
        cpu.Nzcv = 0;
        h.Memory.TryWriteUInt64(cpu.X[2] + 40, Bit(SIGUSR2)); // uc_sigmask edited by the handler
        h.CallAsLoop(SyscallNumber.RtSigreturn);

        Assert.Equal(33UL, cpu.X[3]);
        Assert.Equal(0x55UL, cpu.X[8]);
        Assert.Equal(0x20000UL, cpu.Pc);
        Assert.Equal(sp, cpu.Sp);
        Assert.Equal(0x6000_0000u, cpu.Nzcv);
        Assert.Equal(0x99AABBCCDDEEFF00UL, cpu.V[31].AsUInt64().GetElement(1));
        Assert.Equal(Bit(SIGUSR2), h.Thread.SignalState.Blocked);
    }

    [Fact]
    public void Trampoline_is_mov_x8_139_svc_0_in_an_execute_only_page()
    {
        using var h = new KernelHarness();
        ulong at = SignalTrampoline.Ensure(h.Process);
        Assert.Equal(0xD2801168u, h.Memory.FetchInstruction(at));
        Assert.Equal(0xD4000001u, h.Memory.FetchInstruction(at + 4));
        Assert.False(h.Memory.TryRead(at, new byte[4])); // not readable, like an unmapped low page
    }

    [Fact]
    public void Sa_restorer_is_used_as_the_return_address()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteStruct(ActionAddress, new SignalAction(Handler, SA_RESTORER, 0x7777000, 0));
        Assert.Equal(0, h.Call(SyscallNumber.RtSigaction, SIGUSR2, ActionAddress, 0, 8));
        h.Thread.SignalState.Pending.Add(SignalInfo.FromUser(SIGUSR2, 1, 0));
        SignalDelivery.DeliverPending(h.Thread);
        Assert.Equal(0x7777000UL, h.Thread.Cpu.X[30]);
    }

    [Fact]
    public void Sa_onstack_puts_the_frame_on_the_alternate_stack_and_sigaltstack_reports_onstack()
    {
        using var h = new KernelHarness();
        const ulong alt = KernelHarness.Data + 0x4000;
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x200, alt);
        h.Memory.TryWriteInt32(KernelHarness.Data + 0x208, 0);
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x210, 0x8000);
        Assert.Equal(0, h.Call(SyscallNumber.Sigaltstack, KernelHarness.Data + 0x200, 0));
        InstallHandler(h, SIGSEGV, SA_SIGINFO | SA_ONSTACK);

        SignalDelivery.RaiseFault(h.Thread, SIGSEGV, SEGV_MAPERR, 0xdead0);
        ulong frame = h.Thread.Cpu.Sp;
        Assert.InRange(frame, alt, alt + 0x8000);
        Assert.True(h.Memory.TryReadUInt64(frame + 16, out ulong siAddr));
        Assert.Equal(0xdead0UL, siAddr);
        Assert.True(h.Memory.TryReadUInt64(frame + SignalFrame.FaultAddressOffset, out ulong faultAddress));
        Assert.Equal(0xdead0UL, faultAddress);

        Assert.Equal(0, h.Call(SyscallNumber.Sigaltstack, 0, KernelHarness.Data + 0x300));
        Assert.True(h.Memory.TryReadInt32(KernelHarness.Data + 0x308, out int flags));
        Assert.Equal(ThreadSignals.SS_ONSTACK, flags);

        // Changing the stack while running on it is refused.
        Assert.Equal(-Errno.EPERM, h.Call(SyscallNumber.Sigaltstack, KernelHarness.Data + 0x200, 0));
    }

    [Fact]
    public void Sigaltstack_rejects_small_stacks_and_bad_flags()
    {
        using var h = new KernelHarness();
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x200, KernelHarness.Data);
        h.Memory.TryWriteInt32(KernelHarness.Data + 0x208, 0);
        h.Memory.TryWriteUInt64(KernelHarness.Data + 0x210, 1024);
        Assert.Equal(-Errno.ENOMEM, h.Call(SyscallNumber.Sigaltstack, KernelHarness.Data + 0x200, 0));
        h.Memory.TryWriteInt32(KernelHarness.Data + 0x208, 5);
        Assert.Equal(-Errno.EINVAL, h.Call(SyscallNumber.Sigaltstack, KernelHarness.Data + 0x200, 0));
        Assert.Equal(0, h.Call(SyscallNumber.Sigaltstack, 0, KernelHarness.Data + 0x300));
        Assert.True(h.Memory.TryReadInt32(KernelHarness.Data + 0x308, out int flags));
        Assert.Equal(ThreadSignals.SS_DISABLE, flags);
    }
}
