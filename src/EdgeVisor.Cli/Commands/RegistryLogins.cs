using System.Text;
using System.Text.Json;
using EdgeVisor.Workloads.Containers;

namespace EdgeVisor.Cli.Commands;

/// <summary>
/// The registry logins an operator already has from <c>docker login</c>, <c>podman login</c> or <c>skopeo
/// login</c>, so <c>fleet deploy</c> can look up tags in private registries without a configuration of its own:
/// <c>$REGISTRY_AUTH_FILE</c>, <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, <c>$DOCKER_CONFIG/config.json</c>,
/// <c>~/.docker/config.json</c> — the first that exists; its <c>auths</c> entries with an inline <c>auth</c>
/// (base64 of user:password). Credential helpers (<c>credsStore</c>) are not asked.
/// </summary>
internal static class RegistryLogins
{
    public static RegistryOptions Read()
    {
        var options = new RegistryOptions();
        if (Candidates().FirstOrDefault(File.Exists) is not { } file)
        {
            return options;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(file));
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject())
                {
                    if (Login(entry) is { } credential)
                    {
                        options.Credentials.Add(credential);
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"edgevisor: warning: {file}: registry logins not read ({e.Message.Split('\n')[0]})");
        }

        return options;
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile)
        {
            yield return authFile;
        }

        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            yield return Path.Combine(runtime, "containers", "auth.json");
        }

        if (Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } docker)
        {
            yield return Path.Combine(docker, "config.json");
        }

        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json");
    }

    /// <summary>An <c>auths</c> entry: the key is the registry (Docker Hub's may be a URL), <c>auth</c> is base64 of user:password.</summary>
    private static RegistryCredential? Login(JsonProperty entry)
    {
        if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("auth", out var auth) || auth.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string pair;
        try
        {
            pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString()!));
        }
        catch (FormatException)
        {
            return null;
        }

        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        string registry = entry.Name.Contains("://", StringComparison.Ordinal) ? new Uri(entry.Name).Authority : entry.Name.TrimEnd('/');
        return colon <= 0 ? null : new RegistryCredential { Registry = registry, Username = pair[..colon], Password = pair[(colon + 1)..] };
    }
}
