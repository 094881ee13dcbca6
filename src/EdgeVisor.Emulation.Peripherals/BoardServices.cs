namespace EdgeVisor.Emulation.Peripherals;

/// <summary>A per-machine registry of shared objects by type (see <see cref="PeripheralContext.Services"/>).</summary>
public sealed class BoardServices
{
    private readonly Dictionary<Type, object> _services = [];

    /// <summary>Registers <paramref name="service"/> as the board's <typeparamref name="T"/>; throws if one is already registered.</summary>
    public void Add<T>(T service)
        where T : class
    {
        if (!_services.TryAdd(typeof(T), service))
        {
            throw new FormatException($"the board has two {typeof(T).Name} providers");
        }
    }

    /// <summary>The registered <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>()
        where T : class => _services.GetValueOrDefault(typeof(T)) as T;
}
