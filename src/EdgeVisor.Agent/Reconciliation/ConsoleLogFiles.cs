namespace EdgeVisor.Agent.Reconciliation;

/// <summary>Reads the tail of a workload's console log files when no live <see cref="Workloads.WorkloadLog"/> is open (a stopped or failed workload).</summary>
internal static class ConsoleLogFiles
{
    public static IReadOnlyList<string> Tail(string logDirectory, int lines)
    {
        string current = Path.Combine(logDirectory, "console.log");
        if (!Directory.Exists(logDirectory) || lines <= 0)
        {
            return [];
        }

        // console.log.N is the oldest rotation, console.log the newest.
        var rotated = Directory.EnumerateFiles(logDirectory, "console.log.*")
            .Select(path => (Path: path, Index: int.TryParse(Path.GetExtension(path).TrimStart('.'), out int n) ? n : -1))
            .Where(f => f.Index > 0)
            .OrderByDescending(f => f.Index)
            .Select(f => f.Path);
        var tail = new Queue<string>(lines);
        foreach (string file in rotated.Append(current))
        {
            if (!File.Exists(file))
            {
                continue;
            }

            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            while (reader.ReadLine() is { } line)
            {
                if (tail.Count == lines)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }
        }

        return tail.ToArray();
    }
}
