using System.Globalization;

namespace EdgeVisor.Emulation.Machines.Tracing;

/// <summary>
/// Runs the core one instruction at a time and writes one line per instruction before it executes:
/// virtual cycle, PC, symbol+offset (when the image has symbols), and the instruction's halfwords.
/// <code>      1234  000001A4  main+0x10                 F000 F8BE</code>
/// Exception entries, returns and sleep are not instructions and get no line.
/// </summary>
internal sealed class InstructionTracer(Machine machine, TextWriter writer)
{
    public StopReason Run(ulong untilCycle)
    {
        var cpu = machine.Cpu;
        var clock = machine.Clock;
        while (true)
        {
            // A zero-length run takes pending exceptions and wakes a sleeping core without executing anything.
            var reason = cpu.Run(clock.Now);
            if (reason == StopReason.Sleeping)
            {
                clock.AdvanceTo(untilCycle);
                return reason;
            }

            if (reason != StopReason.Budget)
            {
                return reason;
            }

            if (clock.Now >= untilCycle)
            {
                return StopReason.Budget;
            }

            WriteLine(cpu.Pc, clock.Now);
            reason = cpu.Step();
            if (reason != StopReason.Step)
            {
                return reason;
            }
        }
    }

    private void WriteLine(uint pc, ulong cycle)
    {
        string symbol = machine.Image?.Symbols.Lookup(pc) is null ? "" : machine.Image.Symbols.Describe(pc);
        string opcode = "????";
        Span<byte> bytes = stackalloc byte[4];
        if (machine.Bus.TryReadBytes(pc, bytes[..2]))
        {
            ushort first = (ushort)(bytes[0] | (bytes[1] << 8));
            opcode = first.ToString("X4", CultureInfo.InvariantCulture);
            // 0b11101, 0b11110, 0b11111 in the top five bits start a 32-bit Thumb-2 instruction.
            if ((first >> 11) >= 0b11101 && machine.Bus.TryReadBytes(pc + 2, bytes[2..]))
            {
                opcode += " " + ((ushort)(bytes[2] | (bytes[3] << 8))).ToString("X4", CultureInfo.InvariantCulture);
            }
        }

        writer.Write(string.Create(CultureInfo.InvariantCulture, $"{cycle,12}  {pc:X8}  {symbol,-28}  {opcode}\n"));
    }
}
