namespace EdgeVisor.Emulation.CortexM.Debugging;

/// <summary>
/// One register as gdb sees it: its name, width and target-description feature, and how to read and
/// write it on a <see cref="CortexMCpu"/>. Its gdb register number is its index in <see cref="CortexMRegisterMap"/>.
/// </summary>
/// <param name="Name">gdb's name ("r0", "sp", "xpsr", "d3", "msp").</param>
/// <param name="BitSize">Width in bits (32, or 64 for the double-precision view of the FP registers).</param>
/// <param name="Feature">The target-description feature that contains it.</param>
/// <param name="Type">gdb type name ("code_ptr", "ieee_double") or null for a plain integer.</param>
/// <param name="Group">gdb register group ("general", "float", "system") or null for the feature's default.</param>
/// <param name="Read">Reads the value (zero-extended).</param>
/// <param name="Write">Writes the value with the core's derived state kept consistent.</param>
public sealed record CortexMDebugRegister(
    string Name,
    int BitSize,
    string Feature,
    string? Type,
    string? Group,
    Func<CortexMCpu, ulong> Read,
    Action<CortexMCpu, ulong> Write)
{
    public int ByteSize => BitSize / 8;
}
