namespace EdgeVisor.Emulation.Linux.Threads;

/// <summary>clone() flag bits (include/uapi/linux/sched.h); the low byte is the exit signal for a child process.</summary>
[Flags]
public enum CloneFlags : ulong
{
    None = 0,
    ExitSignalMask = 0xFF,
    Vm = 0x100,
    Fs = 0x200,
    Files = 0x400,
    Sighand = 0x800,
    Pidfd = 0x1000,
    Ptrace = 0x2000,
    Vfork = 0x4000,
    Parent = 0x8000,
    Thread = 0x10000,
    NewNamespace = 0x20000,
    SysVSem = 0x40000,
    SetTls = 0x80000,
    ParentSetTid = 0x100000,
    ChildClearTid = 0x200000,
    Detached = 0x400000,
    Untraced = 0x800000,
    ChildSetTid = 0x01000000,
}
