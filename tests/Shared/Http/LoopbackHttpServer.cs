using System.Collections.Concurrent;
using System.Net;

namespace EdgeVisor.Tests.Http;

/// <summary>One request a <see cref="LoopbackHttpServer"/> received, as it arrived.</summary>
/// <param name="Path">The URL's path, without the query.</param>
/// <param name="Authorization">The Authorization header (null: none).</param>
public sealed record ReceivedRequest(string Method, string Path, string Query, string? Authorization);

/// <summary>
/// An HttpListener on a free 127.0.0.1 port for tests that need a small web server of their own: it owns the
/// mechanics (the port, the accept loop, closing each response, shutting down) and leaves the answers to a
/// handler. Each request is handled on its own task, so a handler may hold its answer back. A handler that throws
/// is answered 500 and its exception kept: disposing then throws, so the test fails on the handler's bug instead
/// of on what the client made of the 500. A client that goes away mid-answer is no failure.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan HandlersTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly ConcurrentDictionary<Task, bool> _handling = new();
    private readonly Task _accepting;

    private LoopbackHttpServer(HttpListener listener, int port, Func<HttpListenerContext, Task> handler)
    {
        _listener = listener;
        _handler = handler;
        Port = port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary>host:port, as a URL or an image reference names the server.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public string BaseUrl => $"http://{Host}/";

    /// <summary>Every request so far, in the order they arrived (logged before the handler runs).</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>What the handler threw so far (each of those requests was answered 500).</summary>
    public IReadOnlyList<Exception> Failures => [.. _failures];

    /// <summary>Starts serving on a free loopback port; <paramref name="handler"/> answers each request.</summary>
    public static LoopbackHttpServer Start(Func<HttpListenerContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        for (int attempt = 1; ; attempt++)
        {
            int port = LoopbackPorts.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, port, handler);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                listener.Close(); // the port was taken between probing and binding: try another
            }
        }
    }

    /// <summary>Answers 200 with <paramref name="content"/> as a body of type <paramref name="mediaType"/>.</summary>
    public static async Task SendAsync(HttpListenerResponse response, byte[] content, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(content);
        response.ContentType = mediaType;
        response.ContentLength64 = content.Length;
        await response.OutputStream.WriteAsync(content);
    }

    /// <summary>Stops accepting, waits for the answers under way, and throws if the handler failed on any request.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _accepting;
        await Task.WhenAll(_handling.Keys).WaitAsync(HandlersTimeout);
        if (!_failures.IsEmpty)
        {
            throw new AggregateException($"the test server on {Host} failed on {_failures.Count} request(s)", _failures);
        }
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closing the listener ends the loop
            }

            Task handling = Task.Run(() => HandleAsync(context));
            _handling[handling] = true;
            _ = handling.ContinueWith(done => _handling.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        _requests.Enqueue(new ReceivedRequest(request.HttpMethod, request.Url!.AbsolutePath, request.Url.Query, request.Headers["Authorization"]));
        try
        {
            await _handler(context);
            context.Response.Close();
        }
        catch (Exception e) when (ClientWentAway(e))
        {
            context.Response.Abort();
        }
        catch (Exception e)
        {
            _failures.Enqueue(new InvalidOperationException($"{request.HttpMethod} {request.Url.PathAndQuery}: {e.Message}", e));
            AnswerFailure(context.Response);
        }
    }

    /// <summary>500 when the handler had not begun its answer; otherwise the connection is cut.</summary>
    private static void AnswerFailure(HttpListenerResponse response)
    {
        try
        {
            response.StatusCode = 500;
            response.Close();
        }
        catch (Exception e) when (e is InvalidOperationException || ClientWentAway(e))
        {
            response.Abort();
        }
    }

    /// <summary>What writing to a connection the client closed (a cancelled download) throws.</summary>
    private static bool ClientWentAway(Exception e) => e is HttpListenerException or ObjectDisposedException;
}
