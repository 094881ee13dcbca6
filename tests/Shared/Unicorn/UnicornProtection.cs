namespace EdgeVisor.Testing.Unicorn;

/// <summary>UC_PROT_* page permissions for <see cref="UnicornEngine.Map"/>.</summary>
[Flags]
internal enum UnicornProtection
{
    /// <summary>UC_PROT_NONE.</summary>
    None = 0,

    /// <summary>UC_PROT_READ.</summary>
    Read = 1,

    /// <summary>UC_PROT_WRITE.</summary>
    Write = 2,

    /// <summary>UC_PROT_EXEC.</summary>
    Execute = 4,

    /// <summary>UC_PROT_ALL.</summary>
    All = Read | Write | Execute,
}
