using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Broker;

/// <summary>What a connected client is allowed to be: one device (confined to its subtree) or a controller.</summary>
public enum ClientRole
{
    Device,
    Controller,
}

/// <summary>
/// Who a client is for the ACL: the TLS client certificate's CN when it presented one, else its MQTT user name
/// (the same identity mosquitto uses with <c>use_identity_as_username true</c>).
/// </summary>
/// <param name="Name">The device id, or the controller name (<c>controller</c>, <c>controller-*</c>).</param>
/// <param name="Role">Device or controller, decided by the name.</param>
public sealed record ClientIdentity(string Name, ClientRole Role)
{
    /// <summary>The name every controller identity has: <c>controller</c> or <c>controller-</c> followed by anything.</summary>
    public static bool IsControllerName(string name) =>
        name == "controller" || (name.StartsWith("controller-", StringComparison.Ordinal) && name.Length > "controller-".Length);

    /// <summary>The identity a name stands for, or null when it is neither a controller name nor a valid device id.</summary>
    public static ClientIdentity? FromName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (IsControllerName(name))
        {
            return new ClientIdentity(name, ClientRole.Controller);
        }

        return Names.IsValid(name) ? new ClientIdentity(name, ClientRole.Device) : null;
    }

    public override string ToString() => Role == ClientRole.Controller ? $"controller '{Name}'" : $"device '{Name}'";
}
