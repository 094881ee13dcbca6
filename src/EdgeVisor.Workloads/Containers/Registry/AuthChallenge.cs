namespace EdgeVisor.Workloads.Containers.Registry;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge of a registry's 401: <c>Bearer realm="…",service="…",scope="…"</c> (the
/// distribution token spec) or <c>Basic realm="…"</c>.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Reads the challenges of a response (HttpClient has split them by scheme; the parameters are ours to parse).</summary>
    public static IReadOnlyList<AuthChallenge> From(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return [.. response.Headers.WwwAuthenticate.Select(header => new AuthChallenge(header.Scheme, ParseParameters(header.Parameter ?? "")))];
    }

    /// <summary>Parses <c>key="value", key=token</c> pairs; commas inside quotes belong to the value (scopes have them).</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            int equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            string key = text[i..equals].Trim();
            i = equals + 1;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    value.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                }

                i++; // the closing quote
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                {
                    value.Append(text[i]);
                }
            }

            parameters[key] = value.ToString().Trim();
        }

        return parameters;
    }
}
