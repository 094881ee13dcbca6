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
    private readonly TargetPackets _packets;
    private bool _clientKnowsSwbreak;

    public GdbSession(IDebugTarget target, RspConnection connection, DebugStop initialStop)
    {
        _target = target;
        _connection = connection;
        _points = new DebugPointTable(target);
        _monitor = new MonitorCommands(target);
        _packets = new TargetPackets(target, _points);
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
    private string Answer(string packet) => (packet.Length > 0 ? packet[0] : '\0') switch
    {
        '?' => FormatStop(LastStop),
        'g' => _packets.ReadAllRegisters(),
        'G' => _packets.WriteAllRegisters(packet.AsSpan(1)),
        'p' => _packets.ReadRegister(packet.AsSpan(1)),
        'P' => _packets.WriteRegister(packet.AsSpan(1)),
        'm' => _packets.ReadMemory(packet.AsSpan(1)),
        'M' => _packets.WriteMemoryHex(packet.AsSpan(1)),
        'X' => _packets.WriteMemoryBinary(packet.AsSpan(1)),
        'Z' => _packets.InsertPoint(packet.AsSpan(1)),
        'z' => _packets.RemovePoint(packet.AsSpan(1)),
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
            return _packets.ReadFeatures(packet["qXfer:features:read:".Length..]);
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
            text.Append(CultureInfo.InvariantCulture, $"{n:x2}:{_packets.RegisterHex(n, _target.RegisterSizes[n])};");
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

}
