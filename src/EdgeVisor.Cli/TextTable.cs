namespace EdgeVisor.Cli;

/// <summary>Rows of cells as left-aligned columns two spaces apart (the first row is usually the header).</summary>
internal static class TextTable
{
    /// <summary>One line per row, without line ends or trailing spaces.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        return rows.Select(row => string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()).ToArray();
    }
}
