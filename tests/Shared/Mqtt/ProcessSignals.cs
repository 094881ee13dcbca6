using EdgeVisor.Testing.Processes;

namespace EdgeVisor.Testing.Mqtt;

/// <summary>
/// POSIX signals for test-started processes: .NET's Process.Kill sends only SIGKILL, but a graceful stop (mosquitto
/// saving its persistence file, the agent stopping its workloads) needs SIGTERM. Uses kill(1), which keeps the test
/// projects free of unsafe interop.
/// </summary>
public static class ProcessSignals
{
    /// <summary>Sends SIGTERM to <paramref name="processId"/>; false if the process no longer exists.</summary>
    public static bool Terminate(int processId) =>
        ProcessRunner.Run("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)], Path.GetTempPath(), TimeSpan.FromSeconds(10)).ExitCode == 0;
}
