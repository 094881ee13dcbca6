using System.Net;
using System.Net.Sockets;

namespace EdgeVisor.Agent.Tests.Reconciliation;

/// <summary>
/// A small HTTP server on 127.0.0.1 serving one file, which can answer 503 to the first requests (a flaky
/// network), 404 (a wrong URL), or hold every answer until released (a slow network).
/// </summary>
internal sealed class ArtifactHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;
    private int _requests;

    public ArtifactHttpServer(string file, int failFirst = 0, bool notFound = false, bool hold = false)
    {
        _content = File.ReadAllBytes(file);
        FailFirst = failFirst;
        NotFound = notFound;
        if (!hold)
        {
            _release.SetResult();
        }

        int port = FreePort();
        Url = $"http://127.0.0.1:{port}/{Path.GetFileName(file)}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public int FailFirst { get; }

    public bool NotFound { get; }

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Lets held requests be answered.</summary>
    public void Release() => _release.TrySetResult();

    public void Dispose()
    {
        _release.TrySetResult();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        int number = Interlocked.Increment(ref _requests);
        await _release.Task;
        var response = context.Response;
        try
        {
            if (NotFound)
            {
                response.StatusCode = 404;
            }
            else if (number <= FailFirst)
            {
                response.StatusCode = 503;
            }
            else
            {
                response.StatusCode = 200;
                response.ContentLength64 = _content.Length;
                await response.OutputStream.WriteAsync(_content);
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // The client went away (a cancelled download): nothing to answer.
        }
    }
}
