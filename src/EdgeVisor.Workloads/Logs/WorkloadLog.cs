using System.Text;

namespace EdgeVisor.Workloads;

/// <summary>
/// A workload's console kept as logs: bytes are split into lines, appended to a size-bounded set of rotating
/// files (<c>console.log</c>, <c>console.log.1</c>, …) in the workload's log directory so logs survive agent
/// restarts, kept in a small in-memory tail, and announced line by line (the agent streams them on the
/// workload's logs topic). Thread-safe: a driver writes from its workload's thread while the agent reads.
/// </summary>
public sealed class WorkloadLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly long _maxFileBytes;
    private readonly int _filesKept;
    private readonly Queue<string> _tail = new();
    private readonly int _tailLines;
    private readonly StringBuilder _partial = new();

    // Keeps a multi-byte character split across two writes whole.
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private FileStream _file;

    public WorkloadLog(string directory, long maxFileBytes = 1 << 20, int filesKept = 3, int tailLines = 200)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "console.log");
        _maxFileBytes = maxFileBytes;
        _filesKept = Math.Max(1, filesKept);
        _tailLines = tailLines;
        _file = Open();
        ConsoleStream = new LogStream(this);
    }

    /// <summary>Raised (on the writer's thread) for each complete line, without its line ending.</summary>
    public event Action<string>? LineWritten;

    /// <summary>The file the newest lines go to.</summary>
    public string CurrentFile => _path;

    /// <summary>A write-only stream for drivers: whatever the workload prints.</summary>
    public Stream ConsoleStream { get; }

    /// <summary>Appends raw console bytes (UTF-8, lines ended by \n; \r is dropped).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        List<string>? complete = null;
        lock (_gate)
        {
            // Rotate before a write that would take the file past its limit, so files stay within it.
            if (_file.Length > 0 && _file.Length + bytes.Length > _maxFileBytes)
            {
                Rotate();
            }

            _file.Write(bytes);
            _file.Flush();
            char[] chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            int count = _decoder.GetChars(bytes, chars, flush: false);
            foreach (char c in chars.AsSpan(0, count))
            {
                if (c == '\n')
                {
                    string line = _partial.ToString();
                    _partial.Clear();
                    _tail.Enqueue(line);
                    while (_tail.Count > _tailLines)
                    {
                        _tail.Dequeue();
                    }

                    (complete ??= []).Add(line);
                }
                else if (c != '\r')
                {
                    _partial.Append(c);
                }
            }
        }

        if (complete is not null)
        {
            foreach (string line in complete)
            {
                LineWritten?.Invoke(line);
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> complete lines, oldest first (from the files when the memory tail is shorter).</summary>
    public IReadOnlyList<string> Tail(int lines)
    {
        lock (_gate)
        {
            if (lines <= _tail.Count)
            {
                return _tail.Skip(_tail.Count - lines).ToArray();
            }

            var fromFiles = new List<string>();
            for (int i = _filesKept - 1; i >= 0; i--)
            {
                string file = i == 0 ? _path : $"{_path}.{i}";
                if (File.Exists(file))
                {
                    using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                    while (reader.ReadLine() is { } line)
                    {
                        fromFiles.Add(line);
                    }
                }
            }

            // The last line read from the current file may be the unfinished one.
            if (_partial.Length > 0 && fromFiles.Count > 0)
            {
                fromFiles.RemoveAt(fromFiles.Count - 1);
            }

            return fromFiles.Skip(Math.Max(0, fromFiles.Count - lines)).ToArray();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
        }
    }

    private FileStream Open() => new(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private void Rotate()
    {
        _file.Dispose();
        for (int i = _filesKept - 1; i >= 1; i--)
        {
            string from = i == 1 ? _path : $"{_path}.{i - 1}";
            if (File.Exists(from))
            {
                File.Move(from, $"{_path}.{i}", overwrite: true);
            }
        }

        if (_filesKept == 1)
        {
            File.Delete(_path);
        }

        _file = Open();
    }

    private sealed class LogStream(WorkloadLog log) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => log.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => log.Write(buffer);
    }
}
