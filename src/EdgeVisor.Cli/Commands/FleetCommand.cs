using System.CommandLine;

namespace EdgeVisor.Cli.Commands;

/// <summary><c>edgevisor fleet …</c>: the operator's side — broker, signing keys, deployments, status, commands.</summary>
public static class FleetCommand
{
    public static Command Create() => new("fleet", "Operate a fleet: run the broker, sign and deploy, watch devices, send commands.")
    {
        FleetBrokerCommand.Create(),
        FleetKeygenCommand.Create(),
        FleetDeployCommand.Create(),
        FleetStatusCommand.Create(),
        FleetDevicesCommand.Create(),
        FleetCommandCommand.Create(),
    };
}
