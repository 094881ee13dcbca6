using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Kernel;

namespace EdgeVisor.Emulation.Linux.Tests.Kernel;

/// <summary>
/// The thread run loop turning the guest's own faults into the signals Linux raises: with no handler installed the
/// process dies by that signal (with a core dump for SIGSEGV, SIGBUS and SIGILL), and an undefined encoding is logged once.
/// </summary>
public sealed class RunLoopFaultTests
{
    private const ulong Code = 0x1_0000;

    [Theory]
    [InlineData(0xF9400020u, 0x1234_0000UL, 11)] // ldr x0, [x1] from an unmapped page: SIGSEGV
    [InlineData(0xF9000020u, Code, 11)] // str x0, [x1] into the read-only code page: SIGSEGV
    [InlineData(0xC85FFC20u, 0x2_0001UL, 7)] // ldaxr x0, [x1] misaligned: SIGBUS
    [InlineData(0x00000000u, 0UL, 4)] // udf #0: SIGILL
    public void An_unhandled_fault_kills_the_process_with_its_signal(uint instruction, ulong x1, int signal)
    {
        var diagnostics = new StringWriter();
        var (process, cpu) = Prepare(instruction, diagnostics);
        using (process)
        {
            cpu.X[1] = x1;

            var status = process.RunMainThread(cpu);

            Assert.Equal(ExitStatus.Signaled(signal, coreDumped: true), status);
        }
    }

    [Fact]
    public void An_undefined_instruction_is_logged_with_its_encoding_and_address()
    {
        var diagnostics = new StringWriter();
        var (process, cpu) = Prepare(0x0000_0000, diagnostics);
        using (process)
        {
            process.RunMainThread(cpu);

            Assert.Contains($"edgevisor: undefined instruction 0x00000000 at 0x{Code:x}", diagnostics.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Jumping_to_unmapped_memory_is_sigsegv()
    {
        var (process, cpu) = Prepare(0xD61F0020u, TextWriter.Null); // br x1
        using (process)
        {
            cpu.X[1] = 0x7777_0000;
            Assert.Equal(ExitStatus.Signaled(11, coreDumped: true), process.RunMainThread(cpu));
        }
    }

    private static (LinuxProcess Process, Arm64Cpu Cpu) Prepare(uint instruction, TextWriter diagnostics)
    {
        var memory = new GuestMemory();
        var process = new LinuxProcess(memory, SyscallTable.CreateDefault()) { Diagnostics = diagnostics };
        memory.Map(Code, GuestMemory.PageSize, PagePermissions.ReadWrite);
        memory.WritePrivileged(Code, BitConverter.GetBytes(instruction));
        memory.Protect(Code, GuestMemory.PageSize, PagePermissions.ReadExecute);
        memory.Map(0x2_0000, GuestMemory.PageSize, PagePermissions.ReadWrite);
        memory.Map(0x80_0000, 0x1_0000, PagePermissions.ReadWrite);
        var cpu = new Arm64Cpu(memory, process.Blocks) { Pc = Code };
        cpu.Sp = 0x81_0000;
        return (process, cpu);
    }
}
