using System.Text;
using EdgeVisor.Emulation.Debugging;

namespace EdgeVisor.Emulation.Tests.Debugging;

/// <summary>Packet-level behaviour of the GDB stub against a scripted target, through a real socket.</summary>
public sealed class GdbServerPacketTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Initial_question_mark_reports_one_halt_with_the_thread()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("T05thread:1;", client.Request("?"));
        Assert.True(client.Silent(Quiet));
        Assert.Equal(0, server.Target.Resumes);
        Assert.True(server.Target.DebuggerAttached);
    }

    [Fact]
    public void QSupported_advertises_packet_size_features_no_ack_and_vcont()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        var reply = client.Request("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+");

        var features = reply.Split(';');
        Assert.Contains("PacketSize=4000", features);
        Assert.Contains("qXfer:features:read+", features);
        Assert.Contains("QStartNoAckMode+", features);
        Assert.Contains("vContSupported+", features);
        Assert.Contains("swbreak+", features);
    }

    [Fact]
    public void Unknown_packets_and_vMustReplyEmpty_get_an_empty_reply()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("", client.Request("vMustReplyEmpty"));
        Assert.Equal("", client.Request("qNoSuchThing"));
        Assert.Equal("", client.Request("Z9,1000,4"));

        // The session is still alive afterwards.
        Assert.Equal("T05thread:1;", client.Request("?"));
    }

    [Fact]
    public void A_corrupt_packet_is_rejected_with_minus_and_the_retransmission_answered()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        client.SendRaw("$qC#00");
        client.SendRaw(RspTestClient.Frame("qC"));

        Assert.Equal("QC1", client.ReadPacket());
        Assert.StartsWith("-+", client.AcksReceived.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_retransmits_a_reply_the_client_rejects()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        client.AckMode = false; // acknowledge by hand
        client.SendRaw(RspTestClient.Frame("qC"));
        Assert.Equal("QC1", client.ReadPacket());
        client.SendRaw("-");
        Assert.Equal("QC1", client.ReadPacket());
        client.SendRaw("+");
        Assert.True(client.Silent(Quiet));
    }

    [Fact]
    public void No_ack_mode_stops_acknowledgements_in_both_directions()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("OK", client.Request("QStartNoAckMode"));
        client.AckMode = false;
        client.AcksReceived.Clear();

        // No '+' from the server, and it does not wait for ours before going on.
        client.SendRaw(RspTestClient.Frame("qC") + RspTestClient.Frame("qfThreadInfo") + RspTestClient.Frame("qsThreadInfo"));
        Assert.Equal("QC1", client.ReadPacket());
        Assert.Equal("m1", client.ReadPacket());
        Assert.Equal("l", client.ReadPacket());
        Assert.Equal("", client.AcksReceived.ToString());
    }

    [Fact]
    public void Registers_read_and_write_through_g_G_p_P_in_target_byte_order()
    {
        using var server = new ServerUnderTest();
        server.Target.Registers[0] = 0x12345678;
        server.Target.Registers[15] = 0x000004F0;
        using var client = server.Connect();

        var all = client.Request("g");
        Assert.Equal(FakeDebugTarget.RegisterCount * 8, all.Length);
        Assert.StartsWith("78563412", all, StringComparison.Ordinal);
        Assert.Equal("f0040000", client.Request("pf"));

        Assert.Equal("OK", client.Request("P1=efbeadde"));
        Assert.Equal(0xDEADBEEFu, server.Target.Registers[1]);

        var written = "01000000" + all[8..];
        Assert.Equal("OK", client.Request("G" + written));
        Assert.Equal(1u, server.Target.Registers[0]);
        Assert.Equal("E01", client.Request("p99"));
    }

    [Fact]
    public void Memory_reads_and_writes_with_m_M_and_binary_X_including_escaped_bytes()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("OK", client.Request("M20000000,4:01020304"));
        Assert.Equal("01020304", client.Request("m20000000,4"));

        // X carries raw bytes; '#', '$', '}' and '*' travel escaped as '}' + (byte ^ 0x20).
        var escaped = "}\u0003}\u0004}]}\n\u0041";
        Assert.Equal("OK", client.Request("X20000010,5:" + escaped));
        Assert.Equal(new byte[] { 0x23, 0x24, 0x7d, 0x2a, 0x41 }, server.Target.Memory[0x10..0x15]);
        Assert.Equal("OK", client.Request("X20000010,0:"));

        Assert.Equal("E01", client.Request("m10000000,4"));
        Assert.Equal("E01", client.Request("M10000000,1:00"));
    }

    [Fact]
    public void A_read_running_off_the_end_of_memory_returns_the_readable_prefix()
    {
        using var server = new ServerUnderTest();
        server.Target.Memory[0xFFE] = 0xAB;
        server.Target.Memory[0xFFF] = 0xCD;
        using var client = server.Connect();

        Assert.Equal("abcd", client.Request("m20000ffe,8"));
    }

    [Fact]
    public void Target_description_is_served_in_chunks_with_m_and_l()
    {
        var target = new FakeDebugTarget { TargetDescriptionXml = "<target>" + new string('r', 100) + "</target>" };
        using var server = new ServerUnderTest(target: target);
        using var client = server.Connect();

        var text = new StringBuilder();
        string reply;
        do
        {
            reply = client.Request($"qXfer:features:read:target.xml:{text.Length:x},20");
            Assert.True(reply[0] is 'm' or 'l', reply);
            text.Append(reply.AsSpan(1));
        }
        while (reply[0] == 'm');

        Assert.Equal(target.TargetDescriptionXml, text.ToString());
        Assert.Equal("E00", client.Request("qXfer:features:read:other.xml:0,20"));
    }

    [Fact]
    public void Breakpoints_reach_the_targets_list_before_it_runs_and_are_counted_per_insertion()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("OK", client.Request("Z0,1000,2"));
        Assert.Equal("OK", client.Request("Z1,1000,2"));
        Assert.Empty(server.Target.Breakpoints); // nothing runs yet: gdb may still take it out again
        client.Request("s");
        Assert.Equal([0x1000ul], server.Target.Breakpoints);

        Assert.Equal("OK", client.Request("z0,1000,2"));
        client.Request("s");
        Assert.Equal([0x1000ul], server.Target.Breakpoints);
        Assert.Equal("OK", client.Request("z1,1000,2"));
        client.Request("s");
        Assert.Empty(server.Target.Breakpoints);

        Assert.Equal("OK", client.Request("Z2,20000000,4"));
        Assert.Equal("OK", client.Request("Z3,20000004,2"));
        Assert.Equal("OK", client.Request("Z4,20000008,1"));
        Assert.Equal("E01", client.Request("Z2,20000010,0"));
        client.Request("s");
        Assert.Equal(
            [(0x20000000ul, 4ul, WatchpointKind.Write), (0x20000004ul, 2ul, WatchpointKind.Read), (0x20000008ul, 1ul, WatchpointKind.Access)],
            server.Target.Watchpoints);
    }

    [Fact]
    public void Removing_and_reinserting_the_same_points_between_stops_leaves_the_target_untouched()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();
        client.Request("Z0,1000,2");
        client.Request("s");
        server.Target.Breakpoints.Clear(); // any call to the target from now on would show up here

        client.Request("z0,1000,2");
        client.Request("Z0,1000,2");
        client.Request("s");

        Assert.Empty(server.Target.Breakpoints);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("vCont;c")]
    [InlineData("vCont;c:1")]
    public void Continue_to_a_breakpoint_gives_exactly_one_stop_reply(string resume)
    {
        using var server = new ServerUnderTest();
        server.Target.ScriptedStops.Enqueue(DebugStop.BreakpointAt(0x1000));
        using var client = server.Connect();
        client.Request("qSupported:swbreak+");
        Assert.Equal("OK", client.Request("Z0,1000,2"));

        Assert.Equal("T05swbreak:;thread:1;", client.Request(resume));
        Assert.True(client.Silent(Quiet));
        Assert.Equal(1, server.Target.Resumes);
    }

    [Fact]
    public void A_BKPT_in_the_firmware_is_a_plain_SIGTRAP_not_a_breakpoint_gdb_would_ignore()
    {
        using var server = new ServerUnderTest();
        server.Target.ScriptedStops.Enqueue(DebugStop.BreakpointAt(0x2000));
        using var client = server.Connect();
        client.Request("qSupported:swbreak+");
        Assert.Equal("OK", client.Request("Z0,1000,2"));

        Assert.Equal("T05thread:1;", client.Request("c"));
    }

    [Theory]
    [InlineData("s")]
    [InlineData("vCont;s:1;c")]
    public void Step_runs_one_step_and_gives_exactly_one_stop_reply(string step)
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("T05thread:1;", client.Request(step));
        Assert.True(client.Silent(Quiet));
        Assert.Equal(1, server.Target.Steps);
        Assert.Equal(0, server.Target.Resumes);
        Assert.Equal("vCont;c;C;s;S", client.Request("vCont?"));
    }

    [Fact]
    public void Watchpoint_stops_name_the_watched_address_and_kind()
    {
        using var server = new ServerUnderTest();
        server.Target.ScriptedStops.Enqueue(DebugStop.Watchpoint(0x20000100, WatchpointKind.Write));
        server.Target.ScriptedStops.Enqueue(DebugStop.Watchpoint(0x20000104, WatchpointKind.Read));
        server.Target.ScriptedStops.Enqueue(DebugStop.Watchpoint(0x20000108, WatchpointKind.Access));
        using var client = server.Connect();

        Assert.Equal("T05watch:20000100;thread:1;", client.Request("c"));
        Assert.Equal("T05rwatch:20000104;thread:1;", client.Request("c"));
        Assert.Equal("T05awatch:20000108;thread:1;", client.Request("c"));
    }

    [Fact]
    public void Ctrl_c_interrupts_a_running_target_with_one_SIGINT_stop_reply()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        client.Send("c");
        Assert.True(server.Target.ResumeStarted.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(client.Silent(Quiet), "no stop reply while the target runs");
        client.SendRaw([0x03]);

        Assert.Equal("T02thread:1;", client.ReadPacket());
        Assert.True(client.Silent(Quiet));
        Assert.Equal("T02thread:1;", client.Request("?"));
    }

    [Fact]
    public void Firmware_exit_reports_W_with_the_code_and_ends_the_server_with_it()
    {
        using var server = new ServerUnderTest();
        server.Target.ScriptedStops.Enqueue(DebugStop.Exited(3));
        using var client = server.Connect();

        Assert.Equal("W03", client.Request("c"));

        var result = server.WaitForEnd();
        Assert.Equal(GdbServeOutcome.Exited, result.Outcome);
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public void Stop_replies_carry_the_expedited_registers_in_target_byte_order()
    {
        using var server = new ServerUnderTest();
        server.Target.ExpeditedRegisters = [13, 15];
        server.Target.Registers[13] = 0x20001000;
        server.Target.Registers[15] = 0x000001F4;
        using var client = server.Connect();

        Assert.Equal("T050d:00100020;0f:f6010000;thread:1;", client.Request("s"));
    }

    [Fact]
    public void A_target_that_throws_fails_the_packet_or_the_run_but_the_session_goes_on()
    {
        using var server = new ServerUnderTest();
        server.Target.Broken = true;
        using var client = server.Connect();

        Assert.Equal("E0f", client.Request("p0"));
        Assert.Equal("T0bthread:1;", client.Request("c"));
        Assert.Equal("QC1", client.Request("qC"));
    }

    [Fact]
    public void A_fault_is_reported_to_gdb_as_SIGSEGV()
    {
        using var server = new ServerUnderTest();
        server.Target.ScriptedStops.Enqueue(DebugStop.Faulted("lockup"));
        using var client = server.Connect();

        Assert.Equal("T0bthread:1;", client.Request("c"));
    }

    [Fact]
    public void Kill_ends_the_server_with_killed()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        client.Send("k");

        Assert.Equal(GdbServeOutcome.Killed, server.WaitForEnd().Outcome);
        Assert.True(client.Closed(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Detach_removes_the_sessions_points_and_lets_the_machine_run_until_it_exits()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();
        Assert.Equal("OK", client.Request("Z0,1000,2"));
        Assert.Equal("OK", client.Request("Z2,20000000,4"));
        client.Request("s");
        Assert.NotEmpty(server.Target.Breakpoints);

        Assert.Equal("OK", client.Request("D;1"));

        Assert.True(server.Target.ResumeStarted.Wait(TimeSpan.FromSeconds(5)), "the machine runs after detach");
        Assert.False(server.Target.DebuggerAttached);
        Assert.Empty(server.Target.Breakpoints);
        Assert.Empty(server.Target.Watchpoints);
        Assert.False(server.Result.IsCompleted);
    }

    [Fact]
    public void A_client_attaching_to_a_running_machine_halts_it_and_a_second_client_is_refused()
    {
        using var server = new ServerUnderTest(waitForAttach: false);
        Assert.True(server.Target.ResumeStarted.Wait(TimeSpan.FromSeconds(5)), "without --wait the machine runs at once");

        using var client = server.Connect();
        Assert.Equal("T05thread:1;", client.Request("?"));
        Assert.Equal("QC1", client.Request("qC"));

        using var second = server.Connect();
        Assert.True(second.Closed(TimeSpan.FromSeconds(5)), "a second debugger is turned away");
        Assert.Equal("QC1", client.Request("qC"));
    }

    [Fact]
    public void Without_a_client_a_firmware_exit_ends_the_server()
    {
        // The stop is scripted before the server starts: without --wait it resumes the machine at once.
        var target = new FakeDebugTarget();
        target.ScriptedStops.Enqueue(DebugStop.Exited(0));
        using var server = new ServerUnderTest(waitForAttach: false, target);

        var result = server.WaitForEnd();

        Assert.Equal(GdbServeOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void Cancellation_stops_a_running_machine_and_ends_the_server()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();
        client.Send("c");
        Assert.True(server.Target.ResumeStarted.Wait(TimeSpan.FromSeconds(5)));

        server.Cancel();

        Assert.Equal(GdbServeOutcome.Cancelled, server.WaitForEnd().Outcome);
    }

    [Fact]
    public void Monitor_help_prints_through_O_packets_and_reset_resets_the_target()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        client.Send("qRcmd," + Hex("help"));
        var output = new StringBuilder();
        string packet;
        while ((packet = client.ReadPacket()) != "OK")
        {
            Assert.StartsWith("O", packet, StringComparison.Ordinal);
            output.Append(Encoding.UTF8.GetString(Convert.FromHexString(packet[1..])));
        }

        Assert.Contains("monitor reset", output.ToString(), StringComparison.Ordinal);

        server.Target.Registers[15] = 0x4000;
        client.Send("qRcmd," + Hex("reset halt"));
        Assert.StartsWith("O", client.ReadPacket(), StringComparison.Ordinal);
        Assert.Equal("OK", client.ReadPacket());
        Assert.Equal(1, server.Target.Resets);
        Assert.Equal("00010000", client.Request("pf"));
        Assert.Equal("T05thread:1;", client.Request("?"));
    }

    [Fact]
    public void Thread_and_attach_queries_describe_one_attached_thread()
    {
        using var server = new ServerUnderTest();
        using var client = server.Connect();

        Assert.Equal("1", client.Request("qAttached"));
        Assert.Equal("m1", client.Request("qfThreadInfo"));
        Assert.Equal("l", client.Request("qsThreadInfo"));
        Assert.Equal("OK", client.Request("Hg0"));
        Assert.Equal("OK", client.Request("T1"));
        Assert.Equal("Text=0;Data=0;Bss=0", client.Request("qOffsets"));
    }

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));
}
