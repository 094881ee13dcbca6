using EdgeVisor.Fleet.Broker;
using EdgeVisor.Fleet.Client;
using EdgeVisor.Fleet.Manifests;
using EdgeVisor.Fleet.Signing;

namespace EdgeVisor.Cli.Commands;

/// <summary>How the fleet commands report a failure: one line on stderr and the exit code that says what kind it was.</summary>
internal static class FleetErrors
{
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgevisor fleet: {message}");
        return code;
    }

    /// <summary>Runs a fleet action, turning the fleet's own exceptions into their exit codes.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (FleetException e)
        {
            return Fail(CodeOf(e.Kind), e.Message);
        }
        catch (ManifestException e)
        {
            return Fail(ExitCodes.BadConfiguration, e.Message);
        }
        catch (SigningKeyException e)
        {
            return Fail(ExitCodes.NoPermission, e.Message);
        }
        catch (BrokerConfigurationException e)
        {
            return Fail(ExitCodes.BadConfiguration, e.Message);
        }
    }

    public static int CodeOf(FleetErrorKind kind) => kind switch
    {
        FleetErrorKind.BrokerUnavailable => ExitCodes.Unavailable,
        FleetErrorKind.NotAuthorized => ExitCodes.NoPermission,
        FleetErrorKind.Timeout => ExitCodes.Timeout,
        _ => ExitCodes.BadConfiguration,
    };
}
