using System.Net;
using System.Net.Http.Headers;

namespace EdgeVisor.Workloads.Downloads;

/// <summary>
/// Fills a <see cref="PartialFile"/> from an HTTP(S) URL, resuming: a part that already holds N bytes asks for
/// <c>Range: bytes=N-</c>. A 206 whose Content-Range starts at N is appended; a 200 (the server ignores ranges) or
/// a 206 for some other offset starts the part over; a 416 (the part is no prefix the server recognises) empties the
/// part and asks again for everything. Status codes decide whether a failure is worth retrying (see
/// <see cref="ArtifactException.Permanent"/>).
/// </summary>
public sealed class HttpDownload(HttpClient http, Action<long> ensureSpace)
{
    /// <summary>
    /// Sends each request and returns the response once its headers are in (null: <c>http.SendAsync</c>). An image
    /// registry client authenticates and follows redirects here; the Range logic stays in one place.
    /// </summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? Send { get; init; }

    /// <summary>Downloads the rest of <paramref name="url"/> into <paramref name="part"/>.</summary>
    public async Task RunAsync(Uri url, PartialFile part, long? declaredSize, IProgress<long>? progress, CancellationToken ct)
    {
        string name = url.OriginalString;
        if (declaredSize is { } size && part.Length == size)
        {
            return; // everything is here already; the digest check decides whether it is right
        }

        if (declaredSize is { } limit && part.Length > limit)
        {
            part.Restart();
        }

        for (int attempt = 0; attempt < 2; attempt++)
        {
            long offset = part.Length;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            using var response = await (Send?.Invoke(request, ct) ?? http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                part.Restart();
                continue;
            }

            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                long? from = response.Content.Headers.ContentRange?.From;
                if (from != offset)
                {
                    // Not the range we asked for: from 0 it is the whole content; anything else, ask again for all.
                    part.Restart();
                    if (from != 0)
                    {
                        continue;
                    }
                }
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                part.Restart(); // the server ignores ranges and sends everything
            }
            else
            {
                throw Refused(name, response.StatusCode, response.ReasonPhrase);
            }

            long start = part.Length;
            long? incoming = response.Content.Headers.ContentLength;
            if (declaredSize is { } expected && incoming is { } length && start + length != expected)
            {
                throw new ArtifactException($"artifact {name}: the server offers {start + length} bytes, the deployment declares {expected}", permanent: true);
            }

            ensureSpace(incoming ?? (declaredSize is { } total ? total - start : 0));
            using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await part.AppendAsync(body, declaredSize, name, progress, ct).ConfigureAwait(false);
            if (incoming is { } sent && part.Length != start + sent)
            {
                throw new ArtifactException($"artifact {name}: the connection ended after {part.Length} bytes", permanent: false);
            }

            return;
        }

        throw new ArtifactException($"artifact {name}: the server refused the resumed range twice", permanent: false);
    }

    /// <summary>404/410 and other client errors will not change by retrying; 408/429 and 5xx may.</summary>
    private static ArtifactException Refused(string name, HttpStatusCode status, string? reason)
    {
        int code = (int)status;
        bool permanent = code is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
        return new ArtifactException($"artifact {name}: HTTP {code} {reason}".TrimEnd(), permanent);
    }
}
