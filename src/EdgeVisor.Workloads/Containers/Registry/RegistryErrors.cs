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

    public static ArtifactException TimedOut(string registry, string what, TimeSpan after) =>
        new($"registry {registry}: {what}: no answer within {after.TotalSeconds:0.#} s", permanent: false);
}
