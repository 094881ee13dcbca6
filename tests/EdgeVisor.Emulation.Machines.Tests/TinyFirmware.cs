using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>
/// Assembles a small Thumb program with arm-none-eabi-gcc at test time: a vector table at 0 (initial SP, reset at
/// label <c>reset</c>, every other exception at <c>hang</c>) followed by the given code. Returns the ELF path.
/// </summary>
internal static class TinyFirmware
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "edgevisor-machines-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <param name="handlers">Vector table entries to point at labels of the code: exception number -> label (IRQ n is 16 + n).</param>
    public static string Build(string name, string code, string cpu = "cortex-m3", IReadOnlyDictionary<int, string>? handlers = null)
    {
        string vectors = string.Join("\n", Enumerable.Range(2, 46).Select(n => "    .word " + (handlers?.GetValueOrDefault(n) ?? "hang")));
        System.IO.Directory.CreateDirectory(Directory);
        string source = Path.Combine(Directory, name + ".S");
        string linker = Path.Combine(Directory, name + ".ld");
        string elf = Path.Combine(Directory, name + ".elf");
        File.WriteAllText(source, $$"""
            .syntax unified
            .thumb
            .section .vectors, "a"
            .word 0x20010000
            .word reset
            {{vectors}}
            .text
            .type reset, %function
            .type hang, %function
            hang:
                b hang
            {{code}}
            """);
        File.WriteAllText(linker, """
            SECTIONS
            {
                . = 0;
                .vectors : { KEEP(*(.vectors)) }
                .text : { *(.text*) }
                . = 0x20000000;
                .data : { *(.data*) *(.bss*) }
            }
            """);
        var gcc = ProcessRunner.Run("arm-none-eabi-gcc", ["-mcpu=" + cpu, "-mthumb", "-nostdlib", "-T", linker, source, "-o", elf], Directory, TimeSpan.FromSeconds(60));
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"arm-none-eabi-gcc {(gcc.TimedOut ? "timed out" : "failed")} for {name}:\n{gcc.Stderr}");
        }

        return elf;
    }

    /// <summary>
    /// An mps2 firmware that counts rising edges of gpio0 pin 3 (its pin interrupt, IRQ 27) in the word at
    /// 0x20000000 and sleeps in WFI in between: what tests of edges arriving from outside the machine run.
    /// </summary>
    public static string Gpio0Pin3EdgeCounter(string name) =>
        Build(name, """
            reset:
                ldr r0, =0x40010000
                movs r1, #(1 << 3)
                str r1, [r0, #0x28]     @ INTTYPESET: edge
                str r1, [r0, #0x30]     @ INTPOLSET: rising
                str r1, [r0, #0x20]     @ INTENSET
                ldr r0, =0xE000E100     @ NVIC ISER0
                ldr r1, =(1 << 27)
                str r1, [r0]
                cpsie i
            idle:
                wfi
                b idle
            .type pin3, %function
            pin3:
                ldr r0, =0x20000000
                ldr r1, [r0]
                adds r1, #1
                str r1, [r0]
                ldr r0, =0x40010000
                movs r1, #(1 << 3)
                str r1, [r0, #0x38]     @ INTCLEAR
                bx lr
            """, handlers: new Dictionary<int, string> { [16 + 27] = "pin3" });
}
