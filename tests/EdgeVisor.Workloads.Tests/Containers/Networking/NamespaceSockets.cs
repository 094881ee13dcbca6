using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeVisor.Workloads.Tests.Containers.Networking;

/// <summary>
/// Sockets that live in another network namespace, made in-process: a short-lived thread joins the namespace with
/// setns(2) (allowed per thread for network namespaces), creates the socket and ends. A socket keeps the namespace
/// it was created in, so the test then uses it from any thread like any other socket.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>A TCP listener on <paramref name="port"/> (all addresses) inside the namespace at <paramref name="namespacePath"/>.</summary>
    public static Socket Listen(string namespacePath, int port) => CreateIn(namespacePath, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        socket.Listen();
        return socket;
    });

    /// <summary>
    /// Connects from inside the namespace (null: the host's) to <paramref name="address"/>:<paramref name="port"/>;
    /// null when no connection was made within <paramref name="patience"/> (refused, unreachable or dropped).
    /// </summary>
    public static async Task<Socket?> TryConnectAsync(string? namespacePath, string address, int port, TimeSpan patience)
    {
        Socket socket = namespacePath is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : CreateIn(namespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(address), port, deadline.Token);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Accepts one connection on <paramref name="listener"/>, reads the line the peer sent and answers it echoed;
    /// returns the address the connection came from (what a masquerade rewrites).
    /// </summary>
    public static async Task<(string From, string Line)> AcceptAndEchoAsync(Socket listener, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        using Socket connection = await listener.AcceptAsync(deadline.Token);
        string line = await ReadLineAsync(connection, deadline.Token);
        await connection.SendAsync(System.Text.Encoding.ASCII.GetBytes("echo " + line + "\n"), SocketFlags.None, deadline.Token);
        return (((IPEndPoint)connection.RemoteEndPoint!).Address.ToString(), line);
    }

    /// <summary>Sends <paramref name="line"/> and returns the reply line.</summary>
    public static async Task<string> ExchangeAsync(Socket socket, string line, TimeSpan patience)
    {
        using var deadline = new CancellationTokenSource(patience);
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(line + "\n"), SocketFlags.None, deadline.Token);
        return await ReadLineAsync(socket, deadline.Token);
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[1];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, ct) == 1 && buffer[0] != '\n')
        {
            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }

    private static Socket CreateIn(string namespacePath, Func<Socket> create)
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(namespacePath);
                if (SetNamespace(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({namespacePath}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = create();
            }
            catch (Exception e)
            {
                failure = e;
            }

            // The thread ends here, still in the other namespace: nothing else ever runs on it.
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"no socket in {namespacePath}: {failure?.Message}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int nstype);
}
