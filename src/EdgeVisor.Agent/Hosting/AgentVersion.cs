using System.Reflection;

namespace EdgeVisor.Agent;

/// <summary>The agent's version as reported on the wire (status, ping): the assembly's informational version.</summary>
public static class AgentVersion
{
    /// <summary>E.g. <c>1.0.0+abc123</c>; the build metadata names the commit when the build sets it.</summary>
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
