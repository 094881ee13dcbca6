using System.Net;
using System.Net.Sockets;

namespace EdgeVisor.Tests.Http;

/// <summary>Free ports on 127.0.0.1 for the servers tests start (their own listeners, mosquitto, QEMU's gdb stub, docker-registry).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port nothing listens on at the moment of asking. Another process may take it before the caller binds it,
    /// so callers that can tell a failed bind retry with a new one.
    /// </summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
