using System.Text;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Linux.SystemInfo;
using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Linux.Loading;

/// <summary>What a program needs to start: where it entered memory and the registers it starts with.</summary>
/// <param name="Entry">Where the first thread starts (the interpreter's entry for a dynamic program).</param>
/// <param name="StackPointer">SP at start: the address of argc.</param>
/// <param name="Program">Where the executable itself went.</param>
/// <param name="Interpreter">Where the dynamic linker went, or null for a static program.</param>
public sealed record LoadedProgram(ulong Entry, ulong StackPointer, MappedElf Program, MappedElf? Interpreter);

/// <summary>
/// Loads an AArch64 Linux executable into a process as execve does: ET_EXEC at its link address; ET_DYN (PIE and
/// static-PIE) at <see cref="PieBase"/>, where qemu-aarch64 7.2 puts it; the PT_INTERP dynamic linker, looked up under
/// <see cref="LinuxProcess.Sysroot"/> first (qemu-user's -L), at the highest free range below the mmap area like
/// Linux's top-down mmap; the brk heap right after the program; the stack (<see cref="MemoryMap.StackSize"/>) at the
/// top of the address space; and the initial stack contents with the auxiliary vector.
/// </summary>
public static class ProgramLoader
{
    /// <summary>Load address of position-independent executables (qemu-aarch64's, on a 64-bit host).</summary>
    public const ulong PieBase = 0x55_0000_0000;

    private const uint InterpreterType = 3; // PT_INTERP
    private const uint GnuStackType = 0x6474_E551; // PT_GNU_STACK
    private const uint SegmentExecute = 1;
    private const ushort DynamicType = 3; // ET_DYN

    /// <summary>
    /// Loads <paramref name="path"/> (a host path) into <paramref name="process"/>, whose memory map must be empty.
    /// </summary>
    /// <param name="process">The process to load into.</param>
    /// <param name="path">Host path of the executable.</param>
    /// <param name="arguments">argv, including argv[0].</param>
    /// <param name="environment">envp, as NAME=value strings.</param>
    /// <param name="executableName">AT_EXECFN: the name as given to execve (defaults to <paramref name="path"/>).</param>
    /// <exception cref="ImageFormatException">Not an AArch64 ELF executable, or one that cannot be placed; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file or its interpreter does not exist.</exception>
    public static LoadedProgram Load(LinuxProcess process, string path, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string? executableName = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var (elf, data) = Read(path);
        var map = process.MemoryMap;
        var memory = process.Memory;

        ulong bias = 0;
        if (elf.Type == DynamicType)
        {
            var (low, _) = ElfSegmentMapper.Span(elf);
            bias = PieBase - low;
        }

        var program = ElfSegmentMapper.Map(map, memory, elf, data, path, path, bias);
        map.SetBrkStart(program.End);

        MappedElf? interpreter = null;
        if (InterpreterPath(elf, data, path) is { } requested)
        {
            string interpreterPath = ResolveInterpreter(process, requested, path);
            var (interpreterElf, interpreterData) = Read(interpreterPath);
            var (low, high) = ElfSegmentMapper.Span(interpreterElf);
            ulong alignment = ElfSegmentMapper.Alignment(interpreterElf);
            long at = map.FindFree(high - low + alignment);
            if (at < 0)
            {
                throw new ImageFormatException(interpreterPath, "no room in the guest address space for the interpreter");
            }

            ulong start = ((ulong)at + alignment - 1) & ~(alignment - 1);
            interpreter = ElfSegmentMapper.Map(map, memory, interpreterElf, interpreterData, interpreterPath, interpreterPath,
                interpreterElf.Type == DynamicType ? start - low : 0);
        }

        string name = executableName ?? path;
        ulong stackTop = map.StackTop;
        ulong stackBottom = stackTop - MemoryMap.StackSize;
        if (InitialStack.Size(arguments, environment, name) > MemoryMap.StackSize / 4)
        {
            throw new ArgumentException($"{path}: arguments and environment exceed a quarter of the {MemoryMap.StackSize >> 20} MiB stack (E2BIG)");
        }

        // PT_GNU_STACK asks for an executable stack only with its X flag (old toolchains, nested-function trampolines).
        var stackPermissions = elf.ProgramHeaders.Any(h => h.Type == GnuStackType && (h.Flags & SegmentExecute) != 0)
            ? PagePermissions.All
            : PagePermissions.ReadWrite;
        memory.Map(stackBottom, MemoryMap.StackSize, stackPermissions);
        map.AddMapped(new MemoryArea(stackBottom, stackTop, stackPermissions, MemoryAreaFlags.Anonymous | MemoryAreaFlags.Stack | MemoryAreaFlags.GrowsDown, Label: "[stack]"));
        ulong sp = InitialStack.Build(memory, stackTop, arguments, environment, name,
            (random, platform, execfn) => Auxiliary(program, interpreter, random, platform, execfn));
        process.ExecutablePath = Path.GetFullPath(path);
        return new LoadedProgram(interpreter?.Entry ?? program.Entry, sp, program, interpreter);
    }

    /// <summary>Puts <paramref name="cpu"/> in the state Linux starts a program in: every register zero, PC at the entry, SP at argc.</summary>
    public static void Start(Arm64Cpu cpu, LoadedProgram program)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        ArgumentNullException.ThrowIfNull(program);
        cpu.X = default;
        cpu.V = default;
        cpu.Nzcv = 0;
        cpu.Fpcr = 0;
        cpu.Fpsr = 0;
        cpu.TpidrEl0 = 0;
        cpu.Pc = program.Entry;
        cpu.Sp = program.StackPointer;
    }

    private static List<(ulong, ulong)> Auxiliary(MappedElf program, MappedElf? interpreter, ulong random, ulong platform, ulong execfn) =>
    [
        (AuxiliaryVector.MinimumSignalStackSize, AuxiliaryVector.MinimumSignalStack),
        (AuxiliaryVector.HardwareCapabilities, HardwareCapabilities.Default),
        (AuxiliaryVector.PageSize, GuestMemory.PageSize),
        (AuxiliaryVector.ClockTicks, AuxiliaryVector.ClockTicksPerSecond),
        (AuxiliaryVector.ProgramHeaders, program.ProgramHeaders),
        (AuxiliaryVector.ProgramHeaderEntrySize, (ulong)program.ProgramHeaderSize),
        (AuxiliaryVector.ProgramHeaderCount, (ulong)program.ProgramHeaderCount),
        (AuxiliaryVector.InterpreterBase, interpreter?.Bias ?? 0),
        (AuxiliaryVector.Flags, 0),
        (AuxiliaryVector.Entry, program.Entry),
        (AuxiliaryVector.Uid, HostSystem.GetUid()),
        (AuxiliaryVector.EffectiveUid, HostSystem.GetEffectiveUid()),
        (AuxiliaryVector.Gid, HostSystem.GetGid()),
        (AuxiliaryVector.EffectiveGid, HostSystem.GetEffectiveGid()),
        (AuxiliaryVector.Secure, 0),
        (AuxiliaryVector.Random, random),
        (AuxiliaryVector.HardwareCapabilities2, HardwareCapabilities.Default2),
        (AuxiliaryVector.ExecutableName, execfn),
        (AuxiliaryVector.Platform, platform),
    ];

    private static (ElfFile Elf, byte[] Data) Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }
        catch (DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ImageFormatException(path, $"cannot read: {e.Message}");
        }

        return (ElfReader.Read(data, path, ElfTarget.AArch64), data);
    }

    private static string? InterpreterPath(ElfFile elf, byte[] data, string path)
    {
        var header = elf.ProgramHeaders.FirstOrDefault(h => h.Type == InterpreterType);
        if (header is null)
        {
            return null;
        }

        if (header.Offset > (ulong)data.Length || header.FileSize > (ulong)data.Length - header.Offset || header.FileSize is 0 or > 4096)
        {
            throw new ImageFormatException(path, "corrupt PT_INTERP program header");
        }

        var bytes = data.AsSpan((int)header.Offset, (int)header.FileSize);
        int nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    /// <summary>qemu-user's -L rule: an absolute path is taken from the sysroot when it exists there, else from the host.</summary>
    private static string ResolveInterpreter(LinuxProcess process, string requested, string programPath)
    {
        if (process.Sysroot is { } sysroot && Path.IsPathRooted(requested))
        {
            string inside = Path.Join(sysroot, requested);
            if (File.Exists(inside))
            {
                return inside;
            }
        }

        if (File.Exists(requested))
        {
            return requested;
        }

        string where = process.Sysroot is null ? "no sysroot given" : $"not under sysroot {process.Sysroot}";
        throw new FileNotFoundException(
            $"{programPath}: interpreter {requested} not found ({where}; give the AArch64 sysroot with -L DIR or EDGEVISOR_SYSROOT)", requested);
    }
}
