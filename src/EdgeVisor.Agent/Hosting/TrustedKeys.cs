using EdgeVisor.Protocol;
using Microsoft.Extensions.Options;

namespace EdgeVisor.Agent.Hosting;

/// <summary>Turns <c>Agent:TrustedKeys</c> (PEM files or inline PEM) into the trust anchors deployments are checked against.</summary>
public static class TrustedKeys
{
    /// <summary>
    /// Loads every entry; throws <see cref="OptionsValidationException"/> with one line per bad entry
    /// (<c>Agent:TrustedKeys:1: …</c>) or when there is none.
    /// </summary>
    public static TrustAnchors Load(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = Check(entries, out var anchors);
        if (problems.Count == 0)
        {
            return anchors;
        }

        anchors.Dispose();
        throw new OptionsValidationException(Options.DefaultName, typeof(AgentOptions), problems);
    }

    /// <summary>The problems with <paramref name="entries"/> (empty when all load); <paramref name="anchors"/> holds the good ones.</summary>
    public static List<string> Check(IReadOnlyList<string> entries, out TrustAnchors anchors)
    {
        ArgumentNullException.ThrowIfNull(entries);
        anchors = new TrustAnchors();
        var problems = new List<string>();
        if (entries.Count == 0)
        {
            problems.Add($"{AgentOptions.Section}:TrustedKeys: at least one trusted key (PEM file or inline PEM) is required; deployments are only applied when signed by one");
        }

        for (int i = 0; i < entries.Count; i++)
        {
            string source = $"{AgentOptions.Section}:TrustedKeys:{i}";
            try
            {
                anchors.AddFileOrPem(entries[i] ?? "", source);
            }
            catch (FormatException e)
            {
                problems.Add(e.Message.StartsWith(source, StringComparison.Ordinal) ? e.Message : $"{source}: {e.Message}");
            }
        }

        return problems;
    }
}
