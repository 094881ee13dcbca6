using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Interrupts;

namespace EdgeVisor.Emulation.Peripherals.Catalog;

/// <summary>A catalog entry: what the model is, the interrupt outputs a board file may wire, and its factory.</summary>
internal sealed record PeripheralModel(
    string Description,
    IReadOnlyList<string> Outputs,
    Func<PeripheralDescription, PeripheralContext, InterruptWiring, IPeripheral> Create);

/// <summary>Connects a model's named outputs to the lines the board file gives them; unnamed outputs stay unconnected.</summary>
internal sealed class InterruptWiring(PeripheralDescription description, PeripheralContext context)
{
    public InterruptLine Line(string output)
    {
        foreach (var pair in description.Interrupts)
        {
            if (string.Equals(pair.Key, output, StringComparison.OrdinalIgnoreCase))
            {
                return context.Interrupts.Line(pair.Value);
            }
        }

        return new InterruptLine(null, -1);
    }
}
