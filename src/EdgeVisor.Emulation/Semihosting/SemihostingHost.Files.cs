using System.Text;
using EdgeVisor.Emulation.Semihosting.Files;

namespace EdgeVisor.Emulation.Semihosting;

/// <summary>File operations: SYS_OPEN, SYS_CLOSE, SYS_WRITE, SYS_READ, SYS_ISTTY, SYS_SEEK, SYS_FLEN, SYS_TMPNAM, SYS_REMOVE, SYS_RENAME.</summary>
public sealed partial class SemihostingHost
{
    private const string ConsoleName = ":tt";
    private const string FeaturesName = ":semihosting-features";
    private const int ChunkBytes = 64 * 1024;

    // Semihosting open modes 0..11 are fopen's r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b; bit 0 (binary) changes nothing on a host.
    private static readonly (FileMode Mode, FileAccess Access, bool Append)[] OpenModes =
    [
        (FileMode.Open, FileAccess.Read, false),
        (FileMode.Open, FileAccess.ReadWrite, false),
        (FileMode.Create, FileAccess.Write, false),
        (FileMode.Create, FileAccess.ReadWrite, false),
        (FileMode.OpenOrCreate, FileAccess.Write, true),
        (FileMode.OpenOrCreate, FileAccess.ReadWrite, true),
    ];

    // Block: name pointer, mode, name length. Returns a handle (> 0) or -1.
    private long Open(ulong block)
    {
        ulong mode = Arg(block, 1);
        string name = _memory.ReadString(Arg(block, 0), Arg(block, 2));
        if (mode > 11)
        {
            throw new SemihostingErrorException(SemihostingErrno.InvalidArgument);
        }

        SemihostingFile file = name switch
        {
            ConsoleName => OpenConsole((int)mode),
            FeaturesName when mode <= 1 => new FeaturesFile(),
            FeaturesName => throw new SemihostingErrorException(SemihostingErrno.AccessDenied),
            _ => OpenHostFile(_paths.Resolve(name), (int)mode),
        };
        return _handles.Add(file);
    }

    // ":tt" is stdin for modes 0-3, stdout for 4-7 and stderr for 8-11 (semihosting v2's STDOUT_STDERR extension).
    private ConsoleFile OpenConsole(int mode) => mode switch
    {
        < 4 => new ConsoleFile(_options.Stdin, forReading: true, _options.StdinIsTerminal),
        < 8 => new ConsoleFile(_options.Stdout, forReading: false, _options.StdoutIsTerminal),
        _ => new ConsoleFile(_options.Stderr, forReading: false, _options.StderrIsTerminal),
    };

    private static HostFile OpenHostFile(string path, int mode)
    {
        var (fileMode, access, append) = OpenModes[mode >> 1];
        var stream = new FileStream(path, fileMode, access, FileShare.ReadWrite | FileShare.Delete);
        return new HostFile(stream, append);
    }

    // Block: handle. Returns 0 or -1.
    private long Close(ulong block)
    {
        _handles.Close(Arg(block, 0));
        return 0;
    }

    // Block: handle, buffer, length. Returns the number of bytes NOT written (0 = all written).
    private long Write(ulong block)
    {
        ulong handle = Arg(block, 0);
        ulong buffer = Arg(block, 1);
        ulong length = Arg(block, 2);
        ulong done = 0;
        try
        {
            var file = _handles.Get(handle);
            var chunk = new byte[(int)Math.Min(length, ChunkBytes)];
            while (done < length)
            {
                int n = (int)Math.Min(length - done, (ulong)chunk.Length);
                _memory.ReadInto(buffer + done, chunk.AsSpan(0, n));
                file.Write(chunk.AsSpan(0, n));
                done += (ulong)n;
            }
        }
        catch (SemihostingErrorException e)
        {
            _errno = e.Errno;
        }
        catch (IOException e)
        {
            _errno = SemihostingErrno.FromException(e);
        }

        return (long)(length - done);
    }

    // Block: handle, buffer, length. Returns the number of bytes NOT read (length = end of file).
    private long Read(ulong block)
    {
        ulong handle = Arg(block, 0);
        ulong buffer = Arg(block, 1);
        ulong length = Arg(block, 2);
        if (!_memory.IsWritableBuffer(buffer, length))
        {
            throw new GuestMemoryFaultException(buffer);
        }

        ulong done = 0;
        try
        {
            var file = _handles.Get(handle);
            var chunk = new byte[(int)Math.Min(length, ChunkBytes)];
            while (done < length)
            {
                int want = (int)Math.Min(length - done, (ulong)chunk.Length);
                int got = file.Read(chunk.AsSpan(0, want));
                _memory.WriteFrom(buffer + done, chunk.AsSpan(0, got));
                done += (ulong)got;
                if (got < want || file is ConsoleFile)
                {
                    break;
                }
            }
        }
        catch (SemihostingErrorException e)
        {
            _errno = e.Errno;
        }
        catch (IOException e)
        {
            _errno = SemihostingErrno.FromException(e);
        }

        return (long)(length - done);
    }

    // Block: handle. Returns 1 for an interactive device, 0 otherwise.
    private long IsTty(ulong block)
    {
        if (_handles.Get(Arg(block, 0)).IsTerminal)
        {
            return 1;
        }

        _errno = SemihostingErrno.NotATerminal;
        return 0;
    }

    // Block: handle, absolute position. Returns 0 or -1.
    private long Seek(ulong block)
    {
        var file = _handles.Get(Arg(block, 0));
        ulong position = Arg(block, 1);
        if (position > long.MaxValue)
        {
            throw new SemihostingErrorException(SemihostingErrno.InvalidArgument);
        }

        file.Seek((long)position);
        return 0;
    }

    // Block: handle. Returns the length in bytes or -1.
    private long FileLength(ulong block) => _handles.Get(Arg(block, 0)).Length;

    // Block: buffer, id (0-255), buffer length. Writes a NUL-terminated file name.
    private long TempName(ulong block)
    {
        ulong buffer = Arg(block, 0);
        int id = (int)(Arg(block, 1) & 0xFF);
        ulong size = Arg(block, 2);
        var name = Encoding.UTF8.GetBytes(_paths.TempName(id) + "\0");
        if ((ulong)name.Length > size)
        {
            throw new SemihostingErrorException(SemihostingErrno.InvalidArgument);
        }

        _memory.WriteFrom(buffer, name);
        return 0;
    }

    // Block: name, name length. Returns 0 or -1 (errno says why).
    private long Remove(ulong block)
    {
        string path = _paths.Resolve(_memory.ReadString(Arg(block, 0), Arg(block, 1)));
        if (File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path);
        }
        else
        {
            throw new SemihostingErrorException(SemihostingErrno.NoSuchFile);
        }

        return 0;
    }

    // Block: old name, old length, new name, new length. Returns 0 or -1; like rename(2) it replaces an existing file.
    private long Rename(ulong block)
    {
        string from = _paths.Resolve(_memory.ReadString(Arg(block, 0), Arg(block, 1)));
        string to = _paths.Resolve(_memory.ReadString(Arg(block, 2), Arg(block, 3)));
        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to, overwrite: true);
        }

        return 0;
    }
}
