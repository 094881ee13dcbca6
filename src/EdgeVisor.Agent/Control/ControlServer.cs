#pragma warning disable CS9113 // a contract stub: the issue-6 helper that implements it removes this line
using EdgeVisor.Agent.Reconciliation;
using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Control;

/// <summary>
/// The agent's local control socket (<see cref="AgentOptions.ControlSocket"/>): what <c>edgevisor ps</c> and
/// <c>edgevisor logs</c> ask on the device. Root only; one JSON request per connection.
/// </summary>
public sealed class ControlServer(string socketPath, Reconciler reconciler, ILogger<ControlServer> logger) : IAsyncDisposable
{
    /// <summary>Binds the socket (replacing a stale one) and serves until disposed.</summary>
    public void Start() => throw new NotImplementedException("issue 6: control helper");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
