namespace EdgeVisor.Workloads.Containers.Runtime;

/// <summary>Linux signal names and numbers (the numbering x86-64 and ARM share), for stop signals and exit reasons.</summary>
public static class Signals
{
    public const string Term = "SIGTERM";
    public const string Kill = "SIGKILL";

    private static readonly Dictionary<string, int> s_numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SIGHUP"] = 1, ["SIGINT"] = 2, ["SIGQUIT"] = 3, ["SIGILL"] = 4, ["SIGTRAP"] = 5, ["SIGABRT"] = 6,
        ["SIGBUS"] = 7, ["SIGFPE"] = 8, ["SIGKILL"] = 9, ["SIGUSR1"] = 10, ["SIGSEGV"] = 11, ["SIGUSR2"] = 12,
        ["SIGPIPE"] = 13, ["SIGALRM"] = 14, ["SIGTERM"] = 15, ["SIGSTKFLT"] = 16, ["SIGCHLD"] = 17, ["SIGCONT"] = 18,
        ["SIGSTOP"] = 19, ["SIGTSTP"] = 20, ["SIGTTIN"] = 21, ["SIGTTOU"] = 22, ["SIGURG"] = 23, ["SIGXCPU"] = 24,
        ["SIGXFSZ"] = 25, ["SIGVTALRM"] = 26, ["SIGPROF"] = 27, ["SIGWINCH"] = 28, ["SIGIO"] = 29, ["SIGPWR"] = 30,
        ["SIGSYS"] = 31,
    };

    private static readonly Dictionary<int, string> s_names = s_numbers.ToDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>
    /// The canonical name (<c>SIGTERM</c>) of a signal written as <c>SIGTERM</c>, <c>TERM</c>, <c>term</c> or
    /// <c>15</c>, as images (STOPSIGNAL) and specs write them; null when it is not a signal.
    /// </summary>
    public static string? Normalize(string? signal)
    {
        if (string.IsNullOrWhiteSpace(signal))
        {
            return null;
        }

        string text = signal.Trim();
        if (int.TryParse(text, out int number))
        {
            return s_names.GetValueOrDefault(number);
        }

        string name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text : "SIG" + text;
        return s_numbers.ContainsKey(name) ? name.ToUpperInvariant() : null;
    }

    /// <summary>The name of signal <paramref name="number"/> (<c>SIGKILL</c>), or <c>signal N</c> for real-time signals.</summary>
    public static string Name(int number) => s_names.TryGetValue(number, out string? name) ? name : $"signal {number}";
}
