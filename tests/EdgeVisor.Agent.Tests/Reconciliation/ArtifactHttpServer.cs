using System.Net;
using EdgeVisor.Tests.Http;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// A <see cref="LoopbackHttpServer"/> serving one file, which can answer 503 to the first requests (a flaky
/// network), 404 (a wrong URL), or hold every answer until released (a slow network).
/// </summary>
internal sealed class ArtifactHttpServer : IAsyncDisposable
{
    private readonly byte[] _content;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LoopbackHttpServer _server;
    private int _answered;

    public ArtifactHttpServer(string file, int failFirst = 0, bool notFound = false, bool hold = false)
    {
        _content = File.ReadAllBytes(file);
        FailFirst = failFirst;
        NotFound = notFound;
        if (!hold)
        {
            _release.SetResult();
        }

        _server = LoopbackHttpServer.Start(AnswerAsync);
        Url = _server.BaseUrl + Path.GetFileName(file);
    }

    public string Url { get; }

    public int FailFirst { get; }

    public bool NotFound { get; }

    /// <summary>Requests received so far.</summary>
    public int Requests => _server.Requests.Count;

    /// <summary>Lets held requests be answered.</summary>
    public void Release() => _release.TrySetResult();

    public ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        return _server.DisposeAsync();
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        int number = Interlocked.Increment(ref _answered);
        await _release.Task;
        if (NotFound)
        {
            context.Response.StatusCode = 404;
        }
        else if (number <= FailFirst)
        {
            context.Response.StatusCode = 503;
        }
        else
        {
            await LoopbackHttpServer.SendAsync(context.Response, _content, "application/octet-stream");
        }
    }
}
