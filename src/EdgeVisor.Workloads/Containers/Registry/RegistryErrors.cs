using System.Net;
using EdgeVisor.Workloads.Downloads;

namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// The one-line <see cref="ArtifactException"/>s a pull fails with, classified: not found, unauthorized and other
/// 4xx are permanent; 408, 429, 5xx, lost connections and timeouts are transient (a retry resumes).
/// </summary>
public static class RegistryErrors
{
    public static ArtifactException NotFound(string registry, string what) =>
        new($"registry {registry}: {what} not found", permanent: true);

    public static ArtifactException Unauthorized(string registry, string repository, string? detail = null) =>
        new($"registry {registry}: unauthorized for repository {repository}{(detail is null ? "" : " (" + detail + ")")} " +
            $"(configure a credential for {registry} in Agent:Containers:Registries:Credentials)", permanent: true);

    /// <summary>Any other answer that is not the content: permanent for client errors except 408 and 429.</summary>
    public static ArtifactException Refused(string registry, string what, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        int code = (int)response.StatusCode;
        bool permanent = code is >= 400 and < 500 && response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
        return new($"registry {registry}: {what}: HTTP {code} {response.ReasonPhrase}".TrimEnd(), permanent);
    }

    public static ArtifactException Unreachable(string registry, string what, Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new($"registry {registry}: {what}: {e.Message}", permanent: false, e);
    }

    /// <summary>
    /// A TLS handshake the client refused, mostly over the server's certificate: permanent (a retry meets the same
    /// certificate). <paramref name="target"/> names the server, which may be where the registry redirected to.
    /// </summary>
    public static ArtifactException TlsRefused(string registry, Uri target, Exception refusal)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(refusal);
        return new($"registry {registry}: TLS with {target.Authority} refused: {refusal.Message} " +
            "(a private CA goes in Agent:Containers:Registries:CaFile; a registry whose certificate should not be checked in Agent:Containers:Registries:Insecure)",
            permanent: true, refusal);
    }

    /// <summary>A server that answered HTTPS with something else, where plain HTTP is not allowed.</summary>
    public static ArtifactException NotTls(string registry, Uri target, Exception e)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new($"registry {registry}: {target.Authority} does not speak TLS (HTTPS); plain HTTP is used only for loopback registries and those listed in Agent:Containers:Registries:Insecure",
            permanent: true, e);
    }

    public static ArtifactException TimedOut(string registry, string what, TimeSpan after) =>
        new($"registry {registry}: {what}: no answer within {after.TotalSeconds:0.#} s", permanent: false);
}
