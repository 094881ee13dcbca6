namespace EdgeVisor.Emulation.Linux.Files;

/// <summary>What kind of kernel object a guest file descriptor refers to (for diagnostics and fork/exec bookkeeping).</summary>
public enum FileKind
{
    /// <summary>Inherited or not classified (the standard streams at start).</summary>
    Unknown,

    /// <summary>A file, directory or device opened by path.</summary>
    File,

    /// <summary>One end of a pipe.</summary>
    Pipe,

    /// <summary>A socket.</summary>
    Socket,

    /// <summary>An epoll instance.</summary>
    Epoll,

    /// <summary>An eventfd.</summary>
    EventFd,

    /// <summary>A timerfd.</summary>
    TimerFd,

    /// <summary>An anonymous memory file (memfd_create).</summary>
    MemFd,
}
