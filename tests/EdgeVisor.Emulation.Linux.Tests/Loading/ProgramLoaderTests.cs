using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Loading;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Linux.Tests.Kernel;
using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Linux.Tests.Loading;

/// <summary>
/// The loader as execve: segments, permissions, bss, brk, the interpreter of a dynamic program and the initial
/// stack (argc, argv, envp, auxv) exactly as Linux lays it out, read back from guest memory.
/// </summary>
public sealed class ProgramLoaderTests
{
    [Fact]
    public void A_static_program_is_placed_at_its_link_address_with_segment_permissions_and_zeroed_bss()
    {
        string path = GuestPrograms.StaticAssemblyHello();
        using var guest = new GuestProcess();

        var loaded = ProgramLoader.Load(guest.Process, path, ["hello"], []);

        var elf = ElfReader.Read(File.ReadAllBytes(path), path, ElfTarget.AArch64);
        Assert.Equal(elf.Entry, loaded.Entry);
        Assert.Null(loaded.Interpreter);
        foreach (var segment in elf.ProgramHeaders.Where(h => h.IsLoad))
        {
            var expected = ((segment.Flags & 4) != 0 ? PagePermissions.Read : 0) | ((segment.Flags & 2) != 0 ? PagePermissions.Write : 0) | ((segment.Flags & 1) != 0 ? PagePermissions.Execute : 0);
            Assert.Equal(MemoryMap.Effective(expected), guest.Memory.PermissionsAt(segment.VirtualAddress + segment.MemorySize - 1));
            Assert.Equal(File.ReadAllBytes(path).AsSpan((int)segment.Offset, (int)segment.FileSize).ToArray(), guest.Read(segment.VirtualAddress, (int)segment.FileSize));
            Assert.All(guest.Read(segment.VirtualAddress + segment.FileSize, (int)(segment.MemorySize - segment.FileSize)), b => Assert.Equal(0, b));
        }

        ulong highest = elf.ProgramHeaders.Where(h => h.IsLoad).Max(h => h.VirtualAddress + h.MemorySize);
        Assert.Equal(MemoryMap.PageAlignUp(highest), guest.Process.MemoryMap.BrkStart);
        Assert.Equal(guest.Process.MemoryMap.BrkStart, (ulong)guest.Call(SyscallNumber.Brk, 0));
    }

    [Fact]
    public void The_initial_stack_holds_argc_argv_envp_and_the_auxiliary_vector_as_Linux_builds_it()
    {
        string path = GuestPrograms.StaticAssemblyHello();
        using var guest = new GuestProcess();

        var loaded = ProgramLoader.Load(guest.Process, path, ["prog", "a b", ""], ["HOME=/root", "X="], "./prog");

        var stack = StackImage.Read(guest, loaded.StackPointer);
        Assert.Equal(0UL, loaded.StackPointer % 16);
        Assert.Equal(["prog", "a b", ""], stack.Arguments);
        Assert.Equal(["HOME=/root", "X="], stack.Environment);
        var auxv = stack.Auxiliary;
        Assert.Equal(4096UL, auxv[AuxiliaryVector.PageSize]);
        Assert.Equal(100UL, auxv[AuxiliaryVector.ClockTicks]);
        Assert.Equal(loaded.Program.Entry, auxv[AuxiliaryVector.Entry]);
        Assert.Equal(0UL, auxv[AuxiliaryVector.InterpreterBase]);
        Assert.Equal(56UL, auxv[AuxiliaryVector.ProgramHeaderEntrySize]);
        Assert.Equal("aarch64", guest.Memory.ReadCString(auxv[AuxiliaryVector.Platform]));
        Assert.Equal("./prog", guest.Memory.ReadCString(auxv[AuxiliaryVector.ExecutableName]));
        Assert.Equal(16, guest.Read(auxv[AuxiliaryVector.Random], 16).Length);
        Assert.Equal(HardwareCapabilities.Default, auxv[AuxiliaryVector.HardwareCapabilities]);
        Assert.False(auxv.ContainsKey(33), "no vDSO, so no AT_SYSINFO_EHDR");

        // AT_PHDR points at a copy of the file's program header table.
        byte[] file = File.ReadAllBytes(path);
        ulong phoff = BitConverter.ToUInt64(file, 32);
        int phnum = BitConverter.ToUInt16(file, 56);
        Assert.Equal((ulong)phnum, auxv[AuxiliaryVector.ProgramHeaderCount]);
        Assert.Equal(file.AsSpan((int)phoff, phnum * 56).ToArray(), guest.Read(auxv[AuxiliaryVector.ProgramHeaders], phnum * 56));

        // Strings sit above the tables, argv[0] lowest, and the executable name last below the top.
        Assert.True(stack.ArgumentAddresses[0] > auxv[AuxiliaryVector.Random]);
        Assert.True(stack.ArgumentAddresses[2] < stack.EnvironmentAddresses[0]);
        Assert.Equal(guest.Process.MemoryMap.StackTop - 8 - 7, auxv[AuxiliaryVector.ExecutableName]);
    }

    [Fact]
    public void Uid_and_gid_entries_are_the_hosts()
    {
        using var guest = new GuestProcess();
        var loaded = ProgramLoader.Load(guest.Process, GuestPrograms.StaticAssemblyHello(), ["x"], []);

        var auxv = StackImage.Read(guest, loaded.StackPointer).Auxiliary;
        Assert.Equal((ulong)guest.Call(SyscallNumber.Getuid), auxv[AuxiliaryVector.Uid]);
        Assert.Equal((ulong)guest.Call(SyscallNumber.Geteuid), auxv[AuxiliaryVector.EffectiveUid]);
        Assert.Equal((ulong)guest.Call(SyscallNumber.Getgid), auxv[AuxiliaryVector.Gid]);
        Assert.Equal((ulong)guest.Call(SyscallNumber.Getegid), auxv[AuxiliaryVector.EffectiveGid]);
        Assert.Equal(0UL, auxv[AuxiliaryVector.Secure]);
    }

    [Fact]
    public void A_static_pie_goes_where_qemu_aarch64_puts_it()
    {
        string path = GuestPrograms.PrintArguments("-static-pie");
        using var guest = new GuestProcess();

        var loaded = ProgramLoader.Load(guest.Process, path, ["p"], []);

        var elf = ElfReader.Read(File.ReadAllBytes(path), path, ElfTarget.AArch64);
        Assert.Equal(ProgramLoader.PieBase, loaded.Program.Bias);
        Assert.Equal(ProgramLoader.PieBase + elf.Entry, loaded.Entry);
        Assert.Equal(PagePermissions.ReadExecute, guest.Memory.PermissionsAt(ProgramLoader.PieBase + elf.Entry));
        Assert.Null(loaded.Interpreter);
    }

    [Fact]
    public void A_dynamic_program_starts_in_its_interpreter_from_the_sysroot()
    {
        string path = GuestPrograms.PrintArguments("");
        using var process = new LinuxProcess(new GuestMemory(), SyscallTable.CreateDefault()) { Sysroot = GuestPrograms.Sysroot };

        var loaded = ProgramLoader.Load(process, path, ["p"], []);

        Assert.NotNull(loaded.Interpreter);
        Assert.Equal(loaded.Interpreter.Entry, loaded.Entry);
        Assert.Equal(0UL, loaded.Interpreter.Bias % 0x1_0000);
        var stack = StackImage.Read(process, loaded.StackPointer);
        Assert.Equal(loaded.Interpreter.Bias, stack.Auxiliary[AuxiliaryVector.InterpreterBase]);
        Assert.Equal(loaded.Program.Entry, stack.Auxiliary[AuxiliaryVector.Entry]);
        Assert.Contains(process.MemoryMap.Areas, a => a.Label is { } label && label.EndsWith("ld-linux-aarch64.so.1", StringComparison.Ordinal));
        Assert.True(loaded.Interpreter.Bias > process.MemoryMap.BrkStart, "the interpreter goes to the mmap area, above the heap");
        Assert.True(loaded.Interpreter.End <= process.MemoryMap.MmapTop);
    }

    [Fact]
    public void A_dynamic_program_without_its_interpreter_says_how_to_give_the_sysroot()
    {
        string path = GuestPrograms.PrintArguments("");
        using var guest = new GuestProcess();

        var error = Assert.Throws<FileNotFoundException>(() => ProgramLoader.Load(guest.Process, path, ["p"], []));

        Assert.Contains("ld-linux-aarch64.so.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("-L", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("text", "not an ELF file")]
    [InlineData("x86", "x86-64")]
    [InlineData("truncated", "truncated")]
    public void Files_that_are_no_AArch64_executable_are_refused_with_the_file_named(string kind, string expected)
    {
        using var guest = new GuestProcess();
        string path = Path.Combine(Path.GetTempPath(), $"edgevisor-bad-{kind}-{Environment.ProcessId}");
        byte[] hello = File.ReadAllBytes(GuestPrograms.StaticAssemblyHello());
        File.WriteAllBytes(path, kind switch
        {
            "text" => "#!/bin/sh\necho hi\n"u8.ToArray(),
            "x86" => File.ReadAllBytes("/bin/true"),
            _ => hello[..100],
        });
        try
        {
            var error = Assert.Throws<ImageFormatException>(() => ProgramLoader.Load(guest.Process, path, ["p"], []));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("-z noexecstack", PagePermissions.ReadWrite)]
    [InlineData("-z execstack", PagePermissions.All)]
    public void The_stack_is_executable_only_when_pt_gnu_stack_asks_for_it(string linkerFlag, PagePermissions expected)
    {
        string path = GuestPrograms.Build("stack-" + linkerFlag.Replace(' ', '-'), ".global _start\n_start: b _start\n", "-nostdlib -static -Wl," + linkerFlag.Replace(' ', ','), "assembler");
        using var guest = new GuestProcess();

        var loaded = ProgramLoader.Load(guest.Process, path, ["p"], []);

        Assert.Equal(expected, guest.Memory.PermissionsAt(loaded.StackPointer));
        Assert.Equal("[stack]", guest.Process.MemoryMap.Find(loaded.StackPointer)!.Label);
    }

    [Fact]
    public void A_missing_program_is_a_file_not_found_error()
    {
        using var guest = new GuestProcess();
        Assert.Throws<FileNotFoundException>(() => ProgramLoader.Load(guest.Process, "/nonexistent/prog", ["p"], []));
    }

    [Fact]
    public void Start_clears_every_register_and_points_pc_and_sp_at_the_program()
    {
        using var guest = new GuestProcess();
        var loaded = ProgramLoader.Load(guest.Process, GuestPrograms.StaticAssemblyHello(), ["p"], []);
        var cpu = guest.Thread.Cpu;
        cpu.X[0] = 5;
        cpu.TpidrEl0 = 9;

        ProgramLoader.Start(cpu, loaded);

        Assert.Equal(loaded.Entry, cpu.Pc);
        Assert.Equal(loaded.StackPointer, cpu.Sp);
        Assert.Equal(0UL, cpu.X[0]);
        Assert.Equal(0UL, cpu.TpidrEl0);
    }
}

/// <summary>The initial stack read back from guest memory.</summary>
internal sealed record StackImage(List<string> Arguments, List<ulong> ArgumentAddresses, List<string> Environment, List<ulong> EnvironmentAddresses, Dictionary<ulong, ulong> Auxiliary)
{
    public static StackImage Read(GuestProcess guest, ulong sp) => Read(guest.Process, sp);

    public static StackImage Read(LinuxProcess process, ulong sp)
    {
        var memory = process.Memory;
        ulong Word(ulong address)
        {
            Assert.True(memory.TryReadUInt64(address, out ulong value));
            return value;
        }

        ulong argc = Word(sp);
        ulong p = sp + 8;
        var argumentAddresses = new List<ulong>();
        for (ulong i = 0; i < argc; i++, p += 8)
        {
            argumentAddresses.Add(Word(p));
        }

        Assert.Equal(0UL, Word(p));
        p += 8;
        var environmentAddresses = new List<ulong>();
        for (; Word(p) != 0; p += 8)
        {
            environmentAddresses.Add(Word(p));
        }

        p += 8;
        var auxv = new Dictionary<ulong, ulong>();
        for (; Word(p) != AuxiliaryVector.Null; p += 16)
        {
            auxv.Add(Word(p), Word(p + 8));
        }

        return new StackImage(
            [.. argumentAddresses.Select(a => memory.ReadCString(a)!)], argumentAddresses,
            [.. environmentAddresses.Select(a => memory.ReadCString(a)!)], environmentAddresses, auxv);
    }
}
