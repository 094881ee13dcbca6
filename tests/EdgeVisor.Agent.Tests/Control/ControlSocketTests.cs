using System.Net.Sockets;
using EdgeVisor.Agent.Control;
using EdgeVisor.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVisor.Agent.Tests.Control;

/// <summary>
/// The socket file itself: root only in a world-readable directory, a stale one from a dead agent replaced, a live
/// one (another agent) and anything that is not a socket left alone with one line saying why.
/// </summary>
[Collection(ControlAgentCollection.Name)]
public sealed class ControlSocketTests(ControlAgentFixture agent) : IDisposable
{
    private readonly string _directory = Path.Combine(agent.Directory, "sockets-" + Guid.NewGuid().ToString("N")[..6]);

    private string SocketPath => Path.Combine(_directory, "nested", "agent.sock");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_socket_is_root_only_in_a_directory_made_0755()
    {
        await using var server = Server(SocketPath);
        server.Start();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        var directoryMode = File.GetUnixFileMode(Path.GetDirectoryName(SocketPath)!);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, directoryMode);
    }

    [Fact]
    public async Task A_stale_socket_of_a_dead_agent_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // .NET removes the file of a socket it bound when the socket closes; a SIGKILLed agent leaves it, as
            // moving it away from the bound name does.
            string bound = SocketPath + ".bound";
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, SocketPath);
        }

        Assert.True(File.Exists(SocketPath));
        await using var server = Server(SocketPath);
        server.Start();

        await AssertAnswersPsAsync(SocketPath);
    }

    [Fact]
    public async Task A_second_agent_on_a_live_socket_refuses_to_start_and_the_first_keeps_answering()
    {
        await using var first = Server(SocketPath);
        first.Start();
        await using var second = Server(SocketPath);

        var error = Assert.Throws<IOException>(second.Start);

        Assert.Equal($"control socket {SocketPath}: another agent is answering on it (stop it, or give this one another Agent:ControlSocket)", error.Message);
        await AssertAnswersPsAsync(SocketPath);
    }

    [Fact]
    public async Task A_file_that_is_not_a_socket_is_never_removed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        await File.WriteAllTextAsync(SocketPath, "precious");
        await using var server = Server(SocketPath);

        var error = Assert.Throws<IOException>(server.Start);

        Assert.Equal($"control socket {SocketPath}: a file that is not a socket is in the way", error.Message);
        Assert.Equal("precious", await File.ReadAllTextAsync(SocketPath));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task AssertAnswersPsAsync(string path)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = await ControlClient.SendAsync(path, new ControlRequest { Command = ControlCommands.Ps }, cts.Token);
        Assert.Equal(ControlStatus.Ok, client.Reply.Status);
        Assert.Contains(client.Reply.State!.Workloads, w => w.Name == ControlAgentFixture.Sensor && w.State == WorkloadState.Running);
    }

    private ControlServer Server(string path) => new(path, agent.Harness.Reconciler, NullLogger<ControlServer>.Instance);
}
