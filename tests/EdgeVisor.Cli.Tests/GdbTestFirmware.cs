using System.Collections.Concurrent;
using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Cli.Tests;

/// <summary>
/// The firmware the gdb tests debug: plain C with its own vector table (no libc), built with debug
/// information at test time by arm-none-eabi-gcc for each board. main spins on <c>spin</c> until the debugger
/// clears it, writes the global <c>counter</c> twice (5 -> 6, then, after sleeping through 3 SysTick ticks in WFI, -> 9)
/// and returns it, so the semihosting exit code is 9. Lines carry "@name" markers the tests look up.
/// </summary>
internal static class GdbTestFirmware
{
    public const int ExitCode = 9;

    private static readonly ConcurrentDictionary<string, Lazy<string>> Images = new();

    private static readonly Dictionary<string, string> CpuFlags = new()
    {
        ["mps2-an385"] = "-mcpu=cortex-m3 -mfloat-abi=soft",
        ["mps2-an386"] = "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard",
    };

    /// <summary>The source, as compiled (file name gdbtest.c).</summary>
    public const string Source = """
/* EdgeVisor GDB end-to-end firmware: no libc, its own vector table; exits through semihosting. */
#include <stdint.h>

extern uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__, __stack_top__;

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

volatile uint32_t spin = 1;      /* main waits here until the debugger clears it */
volatile uint32_t ticks;         /* counted by SysTick */
volatile uint32_t counter = 5;   /* the watched global */
uint32_t table[4] = { 0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u };

void Reset_Handler(void);
void SysTick_Handler(void);
void Default_Handler(void);
int main(void);

__attribute__((section(".vectors"), used)) const void *const vector_table[16] = {
    &__stack_top__, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, SysTick_Handler,
};

static void semihost_exit(uint32_t code)
{
    static uint32_t block[2];
    block[0] = 0x20026u; /* ADP_Stopped_ApplicationExit */
    block[1] = code;
    register uint32_t op __asm("r0") = 0x20u; /* SYS_EXIT_EXTENDED */
    register uint32_t arg __asm("r1") = (uint32_t)block;
    __asm volatile("bkpt 0xab" : "+r"(op) : "r"(arg) : "memory");
}

void Default_Handler(void)
{
    semihost_exit(99);
    for (;;) {
    }
}

void SysTick_Handler(void)
{
    ticks = ticks + 1; /* @tick */
}

void Reset_Handler(void)
{
    uint32_t *src = &__data_load__;
    for (uint32_t *dst = &__data_start__; dst < &__data_end__;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &__bss_start__; dst < &__bss_end__;) {
        *dst++ = 0;
    }
    semihost_exit((uint32_t)main());
    for (;;) {
    }
}

static uint32_t add(uint32_t a, uint32_t b)
{
    return a + b;
}

int main(void)
{
    uint32_t local = table[1]; /* @main */
    counter = add(counter, 1); /* @first-write */
    local = local + counter; /* @after-first-write */
    while (spin) { /* @spin */
    }
    SYST_RVR = 999u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* enable, interrupt, core clock: a tick every 1000 cycles */
    while (ticks < 3u) {
        __asm volatile("wfi");
    }
    SYST_CSR = 0;
    counter = counter + 3u; /* @second-write */
    table[0] = local; /* @after-second-write */
    return (int)counter;
}
""";

    /// <summary>Line number (1-based) of the line carrying "@<paramref name="marker"/>".</summary>
    public static int Line(string marker)
    {
        var lines = Source.Split('\n');
        int index = Array.FindIndex(lines, l => l.Contains("@" + marker + " */", StringComparison.Ordinal));
        Assert.True(index >= 0, $"no @{marker} in the test firmware");
        return index + 1;
    }

    /// <summary>Builds (once per test run and board) and returns the ELF's path.</summary>
    public static string Elf(string board) => Images.GetOrAdd(board, b => new Lazy<string>(() => Build(b))).Value;

    private static string Build(string board)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "gdb-firmware", board);
        Directory.CreateDirectory(directory);
        string source = Path.Combine(directory, "gdbtest.c");
        string elf = Path.Combine(directory, "gdbtest.elf");
        File.WriteAllText(source, Source);
        string boards = Path.Combine(RepositoryRoot(), "firmware-images", "boards");
        var arguments = CpuFlags[board].Split(' ').Concat(
        [
            // A relative source path, so gdb names the file "gdbtest.c" in its messages.
            "-mthumb", "-g", "-O0", "-ffreestanding", "-nostdlib", "-nostartfiles", "-o", elf, "gdbtest.c",
            "-L", boards, "-T", board + ".ld", "-Wl,--gc-sections",
        ]);
        var gcc = ProcessRunner.Run("arm-none-eabi-gcc", [.. arguments], directory, TimeSpan.FromSeconds(60));
        Assert.True(gcc.ExitCode == 0, $"arm-none-eabi-gcc failed building the gdb test firmware for {board}:\n{gcc.Stderr}{ProcessRunner.AsText(gcc.Stdout)}");
        return elf;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeVisor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeVisor.sln above {AppContext.BaseDirectory}");
    }
}
