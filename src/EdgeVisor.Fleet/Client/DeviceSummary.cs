using EdgeVisor.Protocol;

namespace EdgeVisor.Fleet.Client;

/// <summary>One device as the broker's retained messages describe it: its last status and its last reported state.</summary>
public sealed record DeviceSummary(string DeviceId, DeviceStatus? Status, ReportedState? Reported)
{
    public bool Online => Status?.State == DeviceStates.Online;
}
