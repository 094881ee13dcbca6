namespace EdgeVisor.Emulation.Arm64.Memory;

/// <summary>What the guest may do with a page. One byte per page in <see cref="GuestMemory"/>'s table.</summary>
[Flags]
public enum PagePermissions : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,

    /// <summary>Not a guest permission: blocks were decoded from this page, so a write must invalidate them.</summary>
    Code = 8,

    ReadWrite = Read | Write,
    ReadExecute = Read | Execute,
    All = Read | Write | Execute,
}
