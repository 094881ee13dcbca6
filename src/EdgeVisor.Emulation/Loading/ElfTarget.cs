namespace EdgeVisor.Emulation.Loading;

/// <summary>The architecture an ELF file must be built for: its e_machine number and ELF class.</summary>
/// <param name="Machine">ELF e_machine value.</param>
/// <param name="Name">Name used in messages ("ARM").</param>
/// <param name="Is64Bit">True for ELFCLASS64, false for ELFCLASS32.</param>
public sealed record ElfTarget(ushort Machine, string Name, bool Is64Bit)
{
    /// <summary>32-bit Arm (A32/T32, including every Cortex-M).</summary>
    public static ElfTarget Arm { get; } = new(40, "ARM", false);

    /// <summary>64-bit Arm (A64).</summary>
    public static ElfTarget AArch64 { get; } = new(183, "AArch64", true);

    // Names for the machines people most often load by mistake, so the error says what the file is.
    private static readonly Dictionary<ushort, string> KnownMachines = new()
    {
        [2] = "SPARC",
        [3] = "x86",
        [8] = "MIPS",
        [20] = "PowerPC",
        [21] = "PowerPC64",
        [22] = "S390",
        [40] = "ARM",
        [42] = "SuperH",
        [50] = "IA-64",
        [62] = "x86-64",
        [83] = "AVR",
        [94] = "Xtensa",
        [105] = "MSP430",
        [183] = "AArch64",
        [243] = "RISC-V",
        [258] = "LoongArch",
    };

    /// <summary>"x86-64 (machine 62)" or "machine 1234" for an e_machine value.</summary>
    public static string DescribeMachine(ushort machine) =>
        KnownMachines.TryGetValue(machine, out var name) ? $"{name} (machine {machine})" : $"machine {machine}";
}
