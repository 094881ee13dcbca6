namespace EdgeVisor.Emulation.Interrupts;

/// <summary>The side of an interrupt controller that devices drive: level-sensitive lines by number.</summary>
public interface IInterruptController
{
    /// <summary>Sets external interrupt line <paramref name="line"/> high or low.</summary>
    void SetLevel(int line, bool asserted);

    /// <summary>Pends line <paramref name="line"/> once (a pulse), whatever its level.</summary>
    void Pulse(int line);
}

/// <summary>One interrupt output of a device, wired to a controller input; unconnected lines do nothing.</summary>
public sealed class InterruptLine(IInterruptController? controller, int line)
{
    public static readonly InterruptLine None = new(null, -1);

    public int Number => line;

    public bool IsConnected => controller is not null && line >= 0;

    public bool Level { get; private set; }

    public void Set(bool asserted)
    {
        if (asserted == Level)
        {
            return;
        }

        Level = asserted;
        if (IsConnected)
        {
            controller!.SetLevel(line, asserted);
        }
    }

    public void Pulse()
    {
        if (IsConnected)
        {
            controller!.Pulse(line);
        }
    }
}
