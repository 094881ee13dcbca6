namespace EdgeVisor.Emulation.Semihosting.Files;

/// <summary>
/// Open semihosting handles. Numbers start at 1 (0 is never a valid handle) and the lowest free
/// number is reused, as qemu-system-arm does.
/// </summary>
internal sealed class HandleTable
{
    private const int MaxHandles = 1024;
    private readonly List<SemihostingFile?> _files = [null];

    public int Add(SemihostingFile file)
    {
        int free = _files.IndexOf(null, 1);
        if (free > 0)
        {
            _files[free] = file;
            return free;
        }

        if (_files.Count >= MaxHandles)
        {
            file.Close();
            throw new SemihostingErrorException(SemihostingErrno.TooManyFiles);
        }

        _files.Add(file);
        return _files.Count - 1;
    }

    /// <summary>The file behind a handle; EBADF if it is not open.</summary>
    public SemihostingFile Get(ulong handle) =>
        handle > 0 && handle < (ulong)_files.Count && _files[(int)handle] is { } file
            ? file
            : throw new SemihostingErrorException(SemihostingErrno.BadHandle);

    public void Close(ulong handle)
    {
        var file = Get(handle);
        _files[(int)handle] = null;
        file.Close();
    }

    public void CloseAll()
    {
        for (int i = 1; i < _files.Count; i++)
        {
            _files[i]?.Close();
            _files[i] = null;
        }
    }
}
