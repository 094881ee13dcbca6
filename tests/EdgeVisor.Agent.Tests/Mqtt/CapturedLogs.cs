using Microsoft.Extensions.Logging;

namespace EdgeVisor.Agent.Tests.Mqtt;

/// <summary>An ILoggerFactory that keeps every line (level, category, message) so a test can wait for what the agent says.</summary>
public sealed class CapturedLogs : ILoggerFactory, ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Text => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; the failure lists what was logged.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            string? line = Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"no log line with '{text}' within {timeout.TotalSeconds} s; logged:\n{Text}");
            }

            await Task.Delay(20);
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string line = $"{logLevel} {category}: {formatter(state, exception)}";
            lock (owner._lines)
            {
                owner._lines.Add(line);
            }
        }
    }
}
