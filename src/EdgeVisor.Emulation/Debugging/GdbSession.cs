using System.Globalization;
using System.Text;
using EdgeVisor.Emulation.Debugging.Rsp;

namespace EdgeVisor.Emulation.Debugging;

/// <summary>
/// One gdb client driving an <see cref="IDebugTarget"/> in all-stop mode: answers packets while the
/// machine is halted, runs it on a worker thread on c/s/vCont while listening for Ctrl-C, and sends
/// exactly one stop reply per resume.
/// </summary>
public sealed class GdbSession
{
    /// <summary>Largest packet we accept, advertised in qSupported (hex).</summary>
    public const int PacketSize = 0x4000;

    private static readonly TimeSpan ClientCloseGrace = TimeSpan.FromSeconds(2);

    private readonly IDebugTarget _target;
    private readonly RspConnection _connection;
    private readonly DebugPointTable _points;
    private readonly MonitorCommands _monitor;
    private bool _clientKnowsSwbreak;

    public GdbSession(IDebugTarget target, RspConnection connection, DebugStop initialStop)
    {
        _target = target;
        _connection = connection;
        _points = new DebugPointTable(target);
        _monitor = new MonitorCommands(target);
        _monitor.MachineReset += () => LastStop = DebugStop.Halted;
        LastStop = initialStop;
    }

    /// <summary>The most recent stop, which '?' reports.</summary>
    public DebugStop LastStop { get; private set; }

    /// <summary>Serves the client until it detaches, kills, disconnects, the firmware exits, or <paramref name="cancellation"/> fires.</summary>
    public async Task<GdbSessionEnd> RunAsync(CancellationToken cancellation)
    {
        try
        {
            var end = await ServeAsync(cancellation).ConfigureAwait(false);
            if (end is GdbSessionEnd.Detached or GdbSessionEnd.Disconnected or GdbSessionEnd.Cancelled)
            {
                _points.RemoveAll();
            }

            if (end is GdbSessionEnd.Detached or GdbSessionEnd.Killed or GdbSessionEnd.Exited)
            {
                // gdb closes the connection itself after these; closing first makes it see a dropped link.
                await _connection.WaitForCloseAsync(ClientCloseGrace).ConfigureAwait(false);
            }

            return end;
        }
        catch (IOException)
        {
            _points.RemoveAll();
            return GdbSessionEnd.Disconnected;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            _points.RemoveAll();
            return GdbSessionEnd.Cancelled;
        }
    }

    private async Task<GdbSessionEnd> ServeAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var receive = _connection.ReceiveAsync();
            var input = await receive.WaitAsync(cancellation).ConfigureAwait(false);
            if (input is not { } value)
            {
                return GdbSessionEnd.Disconnected;
            }

            if (value.Kind != RspInputKind.Packet)
            {
                continue; // Ctrl-C while halted: nothing runs, nothing to stop.
            }

            GdbSessionEnd? end;
            try
            {
                end = await HandleAsync(Encoding.Latin1.GetString(value.Payload), cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (IOException or OperationCanceledException))
            {
                // A failing target call must not take the debugger down with it: the packet fails, the session goes on.
                _connection.Log?.WriteLine($"target error: {e}");
                await _connection.SendAsync("E0f").ConfigureAwait(false);
                continue;
            }

            if (end is { } finished)
            {
                return finished;
            }
        }
    }

    // Returns a session end for packets that end the session, null otherwise.
    private async Task<GdbSessionEnd?> HandleAsync(string packet, CancellationToken cancellation)
    {
        switch (packet.Length > 0 ? packet[0] : '\0')
        {
            case 'c':
            case 'C':
                return await ResumeAsync(step: false, cancellation).ConfigureAwait(false);
            case 's':
            case 'S':
                return await ResumeAsync(step: true, cancellation).ConfigureAwait(false);
            case 'v' when packet.StartsWith("vCont;", StringComparison.Ordinal):
                return await VContAsync(packet, cancellation).ConfigureAwait(false);
            case 'v' when packet.StartsWith("vKill", StringComparison.Ordinal):
                await _connection.SendAsync("OK").ConfigureAwait(false);
                return GdbSessionEnd.Killed;
            case 'k':
                return GdbSessionEnd.Killed; // 'k' has no reply.
            case 'D':
                await _connection.SendAsync("OK").ConfigureAwait(false);
                return GdbSessionEnd.Detached;
            case 'Q' when packet == "QStartNoAckMode":
                await _connection.SendAsync("OK").ConfigureAwait(false);
                _connection.DisableAcks();
                return null;
            case 'q' when packet.StartsWith("qRcmd,", StringComparison.Ordinal):
                await MonitorAsync(packet["qRcmd,".Length..]).ConfigureAwait(false);
                return null;
            default:
                await _connection.SendAsync(Answer(packet)).ConfigureAwait(false);
                return null;
        }
    }

    // Packets answered with one reply and no change of run state.
    private string Answer(string packet) => packet[0] switch
    {
        '?' => FormatStop(LastStop),
        'g' => ReadAllRegisters(),
        'G' => WriteAllRegisters(packet.AsSpan(1)),
        'p' => ReadRegister(packet.AsSpan(1)),
        'P' => WriteRegister(packet.AsSpan(1)),
        'm' => ReadMemory(packet.AsSpan(1)),
        'M' => WriteMemoryHex(packet.AsSpan(1)),
        'X' => WriteMemoryBinary(packet.AsSpan(1)),
        'Z' => InsertPoint(packet.AsSpan(1)),
        'z' => RemovePoint(packet.AsSpan(1)),
        'H' => "OK",
        'T' => packet == "T" + StopReply.ThreadId ? "OK" : "E01",
        'q' => Query(packet),
        'v' => packet == "vCont?" ? "vCont;c;C;s;S" : packet == "vCtrlC" ? "OK" : "",
        _ => "",
    };

    private string Query(string packet)
    {
        if (packet.StartsWith("qSupported", StringComparison.Ordinal))
        {
            return Supported(packet);
        }

        if (packet.StartsWith("qXfer:features:read:", StringComparison.Ordinal))
        {
            return ReadFeatures(packet["qXfer:features:read:".Length..]);
        }

        return packet switch
        {
            "qAttached" or "qAttached:1" => "1",
            "qC" => "QC" + StopReply.ThreadId,
            "qfThreadInfo" => "m" + StopReply.ThreadId,
            "qsThreadInfo" => "l",
            "qOffsets" => "Text=0;Data=0;Bss=0",
            "qSymbol::" => "OK",
            _ => "",
        };
    }

    private string Supported(string packet)
    {
        var features = packet.Split([':', ';'], StringSplitOptions.RemoveEmptyEntries);
        _clientKnowsSwbreak = features.Contains("swbreak+");
        var reply = new StringBuilder($"PacketSize={PacketSize:x};qXfer:features:read+;QStartNoAckMode+;vContSupported+");
        if (_clientKnowsSwbreak)
        {
            reply.Append(";swbreak+");
        }

        return reply.ToString();
    }

    private string ReadFeatures(string request)
    {
        // annex:offset,length
        int colon = request.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !TryParseRange(request.AsSpan(colon + 1), out ulong offset, out ulong length))
        {
            return "E01";
        }

        if (request[..colon] != "target.xml")
        {
            return "E00";
        }

        var document = _target.TargetDescriptionXml;
        if (offset >= (ulong)document.Length)
        {
            return "l";
        }

        int start = (int)offset;
        int count = (int)Math.Min(length, (ulong)(document.Length - start));
        return string.Concat(start + count >= document.Length ? "l" : "m", document.AsSpan(start, count));
    }

    private async Task<GdbSessionEnd?> VContAsync(string packet, CancellationToken cancellation)
    {
        // vCont;action[:thread][;action[:thread]]...: the first action for our thread (or all threads) applies.
        foreach (var part in packet["vCont;".Length..].Split(';'))
        {
            int colon = part.IndexOf(':', StringComparison.Ordinal);
            string thread = colon < 0 ? "-1" : part[(colon + 1)..];
            if (thread is not ("-1" or "0" or StopReply.ThreadId or "p1.1" or "p1.-1"))
            {
                continue;
            }

            switch (part.Length > 0 ? part[0] : '\0')
            {
                case 'c' or 'C':
                    return await ResumeAsync(step: false, cancellation).ConfigureAwait(false);
                case 's' or 'S':
                    return await ResumeAsync(step: true, cancellation).ConfigureAwait(false);
            }
        }

        await _connection.SendAsync("E01").ConfigureAwait(false);
        return null;
    }

    /// <summary>Runs the target on a worker while watching the connection for Ctrl-C; then sends the one stop reply.</summary>
    private async Task<GdbSessionEnd?> ResumeAsync(bool step, CancellationToken cancellation)
    {
        _points.Apply();
        Func<DebugStop> work = step ? _target.Step : _target.Resume;
        var run = Task.Run(work, CancellationToken.None);
        bool clientGone = false;
        bool watchInput = true;
        using (cancellation.Register(_target.Interrupt))
        {
            while (!run.IsCompleted)
            {
                if (!watchInput)
                {
                    await run.ConfigureAwait(false);
                    break;
                }

                var peek = _connection.PeekAsync();
                if (await Task.WhenAny(run, peek).ConfigureAwait(false) == run)
                {
                    break;
                }

                switch ((await peek.ConfigureAwait(false))?.Kind)
                {
                    case null:
                        clientGone = true;
                        watchInput = false;
                        _target.Interrupt();
                        break;
                    case RspInputKind.Interrupt:
                        _connection.Advance();
                        _target.Interrupt();
                        break;
                    case RspInputKind.Ack or RspInputKind.Nak:
                        _connection.Advance();
                        break;
                    default:
                        // An all-stop client sends nothing else while the target runs; keep it for afterwards.
                        watchInput = false;
                        break;
                }
            }
        }

        try
        {
            LastStop = await run.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LastStop = DebugStop.Faulted($"emulator error while running: {e.Message}");
        }

        if (cancellation.IsCancellationRequested)
        {
            return GdbSessionEnd.Cancelled;
        }

        if (clientGone)
        {
            return LastStop.IsFinal ? GdbSessionEnd.Exited : GdbSessionEnd.Disconnected;
        }

        await _connection.SendAsync(FormatStop(LastStop)).ConfigureAwait(false);
        return LastStop.IsFinal ? GdbSessionEnd.Exited : null;
    }

    private string FormatStop(DebugStop stop) =>
        StopReply.Format(stop, _clientKnowsSwbreak && stop.Kind == DebugStopKind.Breakpoint && _points.HasBreakpoint(stop.Address), ExpeditedRegisters());

    private string ExpeditedRegisters()
    {
        var text = new StringBuilder();
        foreach (int n in _target.ExpeditedRegisters)
        {
            text.Append(CultureInfo.InvariantCulture, $"{n:x2}:{RegisterHex(n, _target.RegisterSizes[n])};");
        }

        return text.ToString();
    }

    private async Task MonitorAsync(string hexCommand)
    {
        var command = RspEncoding.FromHex(hexCommand);
        if (command is null)
        {
            await _connection.SendAsync("E01").ConfigureAwait(false);
            return;
        }

        string output = _monitor.Execute(Encoding.UTF8.GetString(command));

        // Console output travels in 'O' packets, kept well under the packet size.
        const int chunk = (PacketSize / 2) - 16;
        for (int i = 0; i < output.Length; i += chunk)
        {
            await _connection.SendAsync("O" + RspEncoding.ToHex(output.Substring(i, Math.Min(chunk, output.Length - i)))).ConfigureAwait(false);
        }

        await _connection.SendAsync("OK").ConfigureAwait(false);
    }

    private string ReadAllRegisters()
    {
        var reply = new StringBuilder();
        var sizes = _target.RegisterSizes;
        for (int n = 0; n < sizes.Count; n++)
        {
            reply.Append(RegisterHex(n, sizes[n]));
        }

        return reply.ToString();
    }

    private string WriteAllRegisters(ReadOnlySpan<char> hex)
    {
        var bytes = RspEncoding.FromHex(hex);
        if (bytes is null)
        {
            return "E01";
        }

        var sizes = _target.RegisterSizes;
        int offset = 0;
        bool ok = true;
        for (int n = 0; n < sizes.Count && offset + sizes[n] <= bytes.Length; n++)
        {
            ok &= _target.TryWriteRegister(n, bytes.AsSpan(offset, sizes[n]));
            offset += sizes[n];
        }

        return ok ? "OK" : "E01";
    }

    private string ReadRegister(ReadOnlySpan<char> number)
    {
        if (!RspEncoding.TryParseHex(number, out ulong n) || n >= (ulong)_target.RegisterSizes.Count)
        {
            return "E01";
        }

        return RegisterHex((int)n, _target.RegisterSizes[(int)n]);
    }

    private string WriteRegister(ReadOnlySpan<char> assignment)
    {
        int equals = assignment.IndexOf('=');
        if (equals < 0 || !RspEncoding.TryParseHex(assignment[..equals], out ulong n) || n >= (ulong)_target.RegisterSizes.Count)
        {
            return "E01";
        }

        var value = RspEncoding.FromHex(assignment[(equals + 1)..]);
        return value is not null && value.Length == _target.RegisterSizes[(int)n] && _target.TryWriteRegister((int)n, value) ? "OK" : "E01";
    }

    private string RegisterHex(int number, int size)
    {
        Span<byte> value = stackalloc byte[size];
        return _target.TryReadRegister(number, value) ? RspEncoding.ToHex(value) : new string('x', size * 2);
    }

    private string ReadMemory(ReadOnlySpan<char> request)
    {
        if (!TryParseRange(request, out ulong address, out ulong length) || length > PacketSize / 2)
        {
            return "E01";
        }

        var data = new byte[length];
        if (_target.TryReadMemory(address, data))
        {
            return RspEncoding.ToHex(data);
        }

        // Answer with the readable prefix, as the protocol allows; gdb asks again from where it stopped.
        int readable = 0;
        while (readable < data.Length && _target.TryReadMemory(address + (ulong)readable, data.AsSpan(readable, 1)))
        {
            readable++;
        }

        return readable == 0 ? "E01" : RspEncoding.ToHex(data.AsSpan(0, readable));
    }

    private string WriteMemoryHex(ReadOnlySpan<char> request)
    {
        int colon = request.IndexOf(':');
        if (colon < 0 || !TryParseRange(request[..colon], out ulong address, out ulong length))
        {
            return "E01";
        }

        var data = RspEncoding.FromHex(request[(colon + 1)..]);
        return data is not null && (ulong)data.Length == length && _target.TryWriteMemory(address, data) ? "OK" : "E01";
    }

    private string WriteMemoryBinary(ReadOnlySpan<char> request)
    {
        int colon = request.IndexOf(':');
        if (colon < 0 || !TryParseRange(request[..colon], out ulong address, out ulong length))
        {
            return "E01";
        }

        // Payloads were unescaped by the parser; Latin-1 maps the chars back to the bytes one to one.
        var data = Encoding.Latin1.GetBytes(request[(colon + 1)..].ToString());
        if ((ulong)data.Length != length)
        {
            return "E01";
        }

        return length == 0 || _target.TryWriteMemory(address, data) ? "OK" : "E01";
    }

    private string InsertPoint(ReadOnlySpan<char> request) => Point(request, insert: true);

    private string RemovePoint(ReadOnlySpan<char> request) => Point(request, insert: false);

    // type,addr,kind[;conditions]: types 0/1 breakpoints (software and hardware are the same list: memory is never
    // patched), 2/3/4 write/read/access watchpoints whose "kind" is the length.
    private string Point(ReadOnlySpan<char> request, bool insert)
    {
        int semicolon = request.IndexOf(';');
        if (semicolon >= 0)
        {
            request = request[..semicolon];
        }

        var text = request.ToString().Split(',');
        if (text.Length != 3 || text[0].Length != 1 || !RspEncoding.TryParseHex(text[1], out ulong address) ||
            !RspEncoding.TryParseHex(text[2], out ulong kind))
        {
            return "E01";
        }

        bool ok;
        switch (text[0][0])
        {
            case '0' or '1':
                ok = insert ? _points.AddBreakpoint(address) : _points.RemoveBreakpoint(address);
                break;
            case '2' or '3' or '4':
                var watchKind = text[0][0] switch { '2' => WatchpointKind.Write, '3' => WatchpointKind.Read, _ => WatchpointKind.Access };
                ok = insert ? _points.AddWatchpoint(address, kind, watchKind) : _points.RemoveWatchpoint(address, kind, watchKind);
                break;
            default:
                return "";
        }

        return ok ? "OK" : "E01";
    }

    private static bool TryParseRange(ReadOnlySpan<char> text, out ulong address, out ulong length)
    {
        length = 0;
        int comma = text.IndexOf(',');
        return RspEncoding.TryParseHex(comma < 0 ? text : text[..comma], out address) &&
               comma >= 0 && ulong.TryParse(text[(comma + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out length);
    }
}
