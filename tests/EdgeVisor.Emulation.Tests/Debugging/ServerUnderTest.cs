using EdgeVisor.Emulation.Debugging;

namespace EdgeVisor.Emulation.Tests.Debugging;

/// <summary>A <see cref="GdbServer"/> on a free loopback port serving a <see cref="FakeDebugTarget"/>.</summary>
internal sealed class ServerUnderTest : IDisposable
{
    private readonly CancellationTokenSource _cancel = new(TimeSpan.FromSeconds(30));

    public ServerUnderTest(bool waitForAttach = true, FakeDebugTarget? target = null)
    {
        Target = target ?? new FakeDebugTarget();
        Server = new GdbServer(Target, 0);
        Result = Server.RunAsync(waitForAttach, _cancel.Token);
    }

    public FakeDebugTarget Target { get; }

    public GdbServer Server { get; }

    public Task<GdbServeResult> Result { get; }

    public RspTestClient Connect() => new(Server.Endpoint);

    public GdbServeResult WaitForEnd()
    {
        Assert.True(Result.Wait(TimeSpan.FromSeconds(10)), "the server did not end");
        return Result.Result;
    }

    public void Cancel() => _cancel.Cancel();

    public void Dispose()
    {
        _cancel.Cancel();
        try
        {
            Result.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        Server.Dispose();
        _cancel.Dispose();
        Target.Dispose();
    }
}
