using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64;
using EdgeVisor.Emulation.Arm64.Memory;
using EdgeVisor.Emulation.Linux.Files;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Memory;
using EdgeVisor.Emulation.Linux.Signals;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// Everything a forked guest needs to continue in a new host process, as one binary image: the process's settings,
/// the calling thread's registers and signal state, the dispositions, the descriptor table (its host descriptors
/// are inherited at the same numbers), the brk, and every mapped area with its bytes. MAP_SHARED file areas are
/// re-mapped from their files in the child so both processes keep writing to the same file; anonymous shared
/// memory becomes a private copy (two host processes cannot share it).
/// </summary>
internal static class ForkState
{
    private const uint Magic = 0x4B524F46; // "FORK"
    private const int Version = 1;

    /// <summary>Writes the state of <paramref name="thread"/>'s process as the child will see it.</summary>
    public static void Write(Stream stream, LinuxThread thread, ForkRequest request)
    {
        var process = thread.Process;
        var cpu = thread.Cpu;
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        WriteString(writer, process.Sysroot);
        WriteString(writer, process.ExecutablePath);
        writer.Write(request.ChildTidAddress);
        writer.Write(request.SetChildTid);
        writer.Write(request.ClearChildTid);
        writer.Write(request.VforkDoneFd);

        // Registers: the child resumes after the svc with X0 = 0, on newsp if one was given.
        for (int r = 0; r < 32; r++)
        {
            writer.Write(r == 0 ? 0 : r == 31 && request.StackPointer != 0 ? request.StackPointer : cpu.X[r]);
        }

        Span<byte> vector = stackalloc byte[16];
        for (int v = 0; v < 32; v++)
        {
            cpu.V[v].CopyTo(vector);
            writer.Write(vector);
        }

        writer.Write(cpu.Pc);
        writer.Write(cpu.Nzcv);
        writer.Write(cpu.Fpcr);
        writer.Write(cpu.Fpsr);
        writer.Write(cpu.TpidrEl0);

        // Signals.
        var actions = process.SignalState.Snapshot();
        foreach (var action in actions)
        {
            writer.Write(action.Handler);
            writer.Write(action.Flags);
            writer.Write(action.Restorer);
            writer.Write(action.Mask);
        }

        var signals = thread.SignalState;
        writer.Write(signals.Blocked);
        writer.Write(signals.AltStackBase);
        writer.Write(signals.AltStackFlags);
        writer.Write(signals.AltStackSize);
        writer.Write(process.SignalState.TrampolineAddress != 0);

        // Descriptors.
        var descriptors = process.Files.Snapshot();
        writer.Write(descriptors.Count);
        foreach (var entry in descriptors)
        {
            writer.Write(entry.GuestFd);
            writer.Write(entry.HostFd);
            writer.Write(entry.CloseOnExec);
            writer.Write((int)entry.Kind);
        }

        // Memory.
        var map = process.MemoryMap;
        writer.Write(map.BrkStart);
        writer.Write(map.Brk);
        var areas = map.Areas;
        writer.Write(areas.Count);
        foreach (var area in areas)
        {
            writer.Write(area.Start);
            writer.Write(area.End);
            writer.Write((int)area.Permissions);
            writer.Write((int)area.Flags);
            WriteString(writer, area.FilePath);
            writer.Write(area.FileOffset);
            WriteString(writer, area.Label);
            if (ReMappedFromFile(area))
            {
                continue;
            }

            WritePages(writer, process.Memory, area);
        }
    }

    /// <summary>Reads a state written by <see cref="Write"/> and builds the child's process and main core.</summary>
    public static ForkedImage Read(Stream stream, TextWriter? diagnostics)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
        {
            throw new InvalidDataException("fork state: bad header (not written by this edgevisor version)");
        }

        string? sysroot = ReadString(reader);
        string? executable = ReadString(reader);
        var memory = new GuestMemory();
        var process = new LinuxProcess(memory, SyscallTable.CreateDefault()) { Sysroot = sysroot, Diagnostics = diagnostics, ExecutablePath = executable };
        ulong childTid = reader.ReadUInt64();
        bool setChildTid = reader.ReadBoolean();
        bool clearChildTid = reader.ReadBoolean();
        int vforkDoneFd = reader.ReadInt32();

        var cpu = new Arm64Cpu(memory, process.Blocks);
        for (int r = 0; r < 32; r++)
        {
            cpu.X[r] = reader.ReadUInt64();
        }

        for (int v = 0; v < 32; v++)
        {
            cpu.V[v] = Vector128.Create(reader.ReadBytes(16));
        }

        cpu.Pc = reader.ReadUInt64();
        cpu.Nzcv = reader.ReadUInt32();
        cpu.Fpcr = reader.ReadUInt32();
        cpu.Fpsr = reader.ReadUInt32();
        cpu.TpidrEl0 = reader.ReadUInt64();

        var actions = new SignalAction[SignalNumbers.Count + 1];
        for (int s = 0; s < actions.Length; s++)
        {
            actions[s] = new SignalAction(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        }

        process.SignalState.Restore(actions);
        var initial = new InitialThreadSignals(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadInt32(), reader.ReadUInt64());
        process.SignalState.InitialThread = initial;
        if (reader.ReadBoolean())
        {
            SignalTrampoline.Ensure(process);
        }

        int descriptorCount = reader.ReadInt32();
        var descriptors = new List<FileDescriptorEntry>(descriptorCount);
        for (int i = 0; i < descriptorCount; i++)
        {
            descriptors.Add(new FileDescriptorEntry(reader.ReadInt32(), reader.ReadInt32(), reader.ReadBoolean(), (FileKind)reader.ReadInt32()));
        }

        process.Files.Restore(descriptors);

        var map = process.MemoryMap;
        ulong brkStart = reader.ReadUInt64();
        ulong brk = reader.ReadUInt64();
        int areaCount = reader.ReadInt32();
        var heap = new List<(MemoryArea Area, byte[]? Pages)>();
        for (int i = 0; i < areaCount; i++)
        {
            var area = new MemoryArea(reader.ReadUInt64(), reader.ReadUInt64(), (PagePermissions)reader.ReadInt32(), (MemoryAreaFlags)reader.ReadInt32(),
                ReadString(reader), reader.ReadInt64(), ReadString(reader));
            if (ReMappedFromFile(area))
            {
                MapSharedFile(memory, area);
                map.AddMapped(area);
                continue;
            }

            if ((area.Flags & MemoryAreaFlags.Heap) != 0)
            {
                heap.Add((area, ReadPagesInto(reader, memory, area)));
                continue;
            }

            memory.Map(area.Start, area.Length, MemoryMap.Effective(area.Permissions));
            ReadPagesInto(reader, memory, area);
            map.AddMapped(area);
        }

        // The heap is re-created by moving the break, so the map's brk bookkeeping matches; then its bytes go back.
        if (brkStart != 0)
        {
            map.SetBrkStart(brkStart);
            map.SetBrk(brk);
        }

        foreach (var (area, pages) in heap)
        {
            if (pages is not null)
            {
                memory.WritePrivileged(area.Start, pages);
            }

            if (area.Permissions != PagePermissions.ReadWrite)
            {
                map.Protect(area.Start, area.Length, area.Permissions);
            }
        }

        if (setChildTid)
        {
            memory.TryWriteInt32(childTid, process.Pid);
        }

        return new ForkedImage(process, cpu, clearChildTid ? childTid : 0, vforkDoneFd);
    }

    private static bool ReMappedFromFile(MemoryArea area) => (area.Flags & MemoryAreaFlags.Shared) != 0 && area.FilePath is not null;

    private static void MapSharedFile(GuestMemory memory, MemoryArea area)
    {
        bool writable = (area.Flags & MemoryAreaFlags.ReadOnlyFile) == 0;
        using var handle = File.OpenHandle(area.FilePath!, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read);
        long size = RandomAccess.GetLength(handle);
        memory.MapFile(area.Start, area.Length, MemoryMap.Effective(area.Permissions), (int)handle.DangerousGetHandle(), area.FileOffset, size, shared: true, writable);
    }

    // Pages: a flag byte each (0 = all zero, 1 = contents follow, 2 = not accessible to the host), then the bytes.
    private static unsafe void WritePages(BinaryWriter writer, GuestMemory memory, MemoryArea area)
    {
        for (ulong page = area.Start; page < area.End; page += GuestMemory.PageSize)
        {
            if (memory.PermissionsAt(page) == PagePermissions.None)
            {
                writer.Write((byte)2); // PROT_NONE guard pages and file pages past the end: nothing to copy
                continue;
            }

            var bytes = new ReadOnlySpan<byte>(memory.Base + page, (int)GuestMemory.PageSize);
            if (!bytes.ContainsAnyExcept((byte)0))
            {
                writer.Write((byte)0);
                continue;
            }

            writer.Write((byte)1);
            writer.Write(bytes);
        }
    }

    private static byte[]? ReadPagesInto(BinaryReader reader, GuestMemory memory, MemoryArea area)
    {
        byte[]? all = (area.Flags & MemoryAreaFlags.Heap) != 0 ? new byte[area.Length] : null;
        for (ulong page = area.Start; page < area.End; page += GuestMemory.PageSize)
        {
            byte kind = reader.ReadByte();
            if (kind != 1)
            {
                continue;
            }

            byte[] bytes = reader.ReadBytes((int)GuestMemory.PageSize);
            if (all is not null)
            {
                bytes.CopyTo(all, (int)(page - area.Start));
            }
            else
            {
                memory.WritePrivileged(page, bytes);
            }
        }

        return all;
    }

    private static void WriteString(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadString(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}

/// <summary>What the parent's clone asked for that the child must apply.</summary>
internal readonly record struct ForkRequest(ulong StackPointer, ulong ChildTidAddress, bool SetChildTid, bool ClearChildTid, int VforkDoneFd);

/// <summary>A forked child ready to run.</summary>
internal sealed record ForkedImage(LinuxProcess Process, Arm64Cpu Cpu, ulong ClearChildTidAddress, int VforkDoneFd);
