using System.Globalization;

namespace EdgeVisor.Emulation.Machines.Tests.Wiring;

/// <summary>
/// A small VCD reader for tests: checks the structure a viewer relies on ($timescale, balanced $scope/$upscope,
/// $var wire 1 lines, $enddefinitions, $dumpvars, non-decreasing #times) and returns signals by full dotted name.
/// </summary>
internal sealed class VcdDump
{
    public string Timescale { get; private set; } = "";

    /// <summary>Identifier code → "top.scope.name".</summary>
    public Dictionary<string, string> Signals { get; } = [];

    public Dictionary<string, bool> Initial { get; } = [];

    public List<(ulong Time, string Signal, bool Value)> Changes { get; } = [];

    public ulong LastTime { get; private set; }

    private readonly List<string> _scopesOpened = [];

    public int ScopeOpenings(string name) => _scopesOpened.Count(s => s == name);

    /// <summary>Changes of one signal as (time in ns, value).</summary>
    public List<(ulong Time, bool Value)> Of(string signal) =>
        [.. Changes.Where(c => c.Signal == signal).Select(c => (c.Time, c.Value))];

    public static VcdDump Parse(string text)
    {
        var dump = new VcdDump();
        var tokens = text.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var scope = new List<string>();
        int i = 0;
        bool definitionsEnded = false;
        bool inDumpvars = false;
        ulong time = 0;
        bool seenTime = false;
        while (i < tokens.Length)
        {
            string t = tokens[i++];
            switch (t)
            {
                case "$date" or "$version" or "$comment":
                    while (tokens[i++] != "$end")
                    {
                    }

                    break;
                case "$timescale":
                    var parts = new List<string>();
                    while (tokens[i] != "$end")
                    {
                        parts.Add(tokens[i++]);
                    }

                    i++;
                    dump.Timescale = string.Join(' ', parts);
                    break;
                case "$scope":
                    Assert.Equal("module", tokens[i++]);
                    scope.Add(tokens[i++]);
                    dump._scopesOpened.Add(scope[^1]);
                    Assert.Equal("$end", tokens[i++]);
                    break;
                case "$upscope":
                    Assert.NotEmpty(scope);
                    scope.RemoveAt(scope.Count - 1);
                    Assert.Equal("$end", tokens[i++]);
                    break;
                case "$var":
                    Assert.Equal("wire", tokens[i++]);
                    Assert.Equal("1", tokens[i++]);
                    string code = tokens[i++];
                    string name = tokens[i++];
                    Assert.Equal("$end", tokens[i++]);
                    Assert.NotEmpty(scope);
                    Assert.True(dump.Signals.TryAdd(code, string.Join('.', scope) + "." + name), $"code {code} declared twice");
                    break;
                case "$enddefinitions":
                    Assert.Equal("$end", tokens[i++]);
                    Assert.Empty(scope);
                    definitionsEnded = true;
                    break;
                case "$dumpvars":
                    Assert.True(definitionsEnded);
                    inDumpvars = true;
                    break;
                case "$end" when inDumpvars:
                    inDumpvars = false;
                    break;
                default:
                    Assert.True(definitionsEnded, $"unexpected '{t}' in the header");
                    if (t[0] == '#')
                    {
                        ulong next = ulong.Parse(t.AsSpan(1), CultureInfo.InvariantCulture);
                        Assert.True(!seenTime || next > time, $"time #{next} after #{time}");
                        time = next;
                        seenTime = true;
                        dump.LastTime = time;
                    }
                    else
                    {
                        Assert.True(t[0] is '0' or '1', $"not a 1-bit value change: '{t}'");
                        Assert.True(seenTime, "a value before the first #time");
                        string signal = dump.Signals[t[1..]];
                        if (inDumpvars)
                        {
                            dump.Initial[signal] = t[0] == '1';
                        }
                        else
                        {
                            dump.Changes.Add((time, signal, t[0] == '1'));
                        }
                    }

                    break;
            }
        }

        Assert.True(definitionsEnded, "no $enddefinitions");
        Assert.Equal(dump.Signals.Count, dump.Initial.Count);
        return dump;
    }
}
