using System.Diagnostics;
using EdgeVisor.Workloads.Firmware;

namespace EdgeVisor.Workloads.Tests.Firmware;

public sealed class FirmwareDriverTests : IDisposable
{
    private const string Stm32 = "stm32f4-discovery";
    private const string Mps2 = "mps2-an385";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly FirmwareLaunches _launches = new();
    private readonly FirmwareDriver _driver = new();

    public void Dispose() => _launches.Dispose();

    [Fact]
    public async Task Sensor_monitor_runs_in_real_time_and_its_console_lines_reach_the_log()
    {
        var spec = FirmwareLaunches.Spec("monitor", Stm32, "https://example.test/sensor-monitor.elf", realtime: true,
            wiringUrl: "https://example.test/sensor-monitor.wiring.json");
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"),
            FirmwareLaunches.Image(Stm32, "sensor-monitor.wiring.json"));
        var started = Stopwatch.StartNew();
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        await LogWaiter.WaitForLine(launch.Log, "sensor-monitor: tick 2 t=21.50 C", Patience);
        var elapsed = started.Elapsed;
        Assert.Null(workload.CheckHealth());
        Assert.Equal("sensor-monitor: started", launch.Log.Tail(3)[0]);
        // Paced to the wall clock: the second tick cannot come before two seconds have passed.
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.9), $"tick 2 came after {elapsed.TotalSeconds:0.00} s: not paced to real time");
        Assert.True(OsThreadExists("firmware:monitor"), "no thread named firmware:monitor");

        var stopping = Stopwatch.StartNew();
        await workload.StopAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"stop took {stopping.Elapsed.TotalMilliseconds:0} ms");
        var exit = await workload.Exited;
        Assert.False(exit.Failed, exit.Reason);
        Assert.True(exit.Requested);
        Assert.StartsWith("not running:", workload.CheckHealth());
    }

    [Fact]
    public async Task A_temperature_set_in_the_wiring_file_is_what_the_firmware_reads()
    {
        string wiring = _launches.File("hot.wiring.json", """
            // a warmer room
            { "devices": [ { "name": "thermometer", "type": "tmp102", "bus": "i2c1", "address": "0x48", "temperature": 30.25 } ] }
            """);
        var spec = FirmwareLaunches.Spec("hot", Stm32, "file:///images/sensor-monitor.elf", wiringUrl: "file:///wiring/hot.json");
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"), wiring);
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        await LogWaiter.WaitForLine(launch.Log, "sensor-monitor: tick 1 t=30.25 C", Patience);
    }

    [Fact]
    public async Task Without_a_wiring_file_the_firmware_reports_the_missing_sensor()
    {
        var spec = FirmwareLaunches.Spec("bare", Stm32, "file:///images/sensor-monitor.elf");
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"));
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        await LogWaiter.WaitForLine(launch.Log, "sensor-monitor: tick 1 t=? (no TMP102 at 0x48: ", Patience, prefixOnly: true);
    }

    [Fact]
    public async Task A_semihosting_exit_with_code_0_is_a_clean_end()
    {
        var spec = FirmwareLaunches.Spec("verdict", Mps2, "file:///images/verdict.elf");
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Mps2, "verdict.elf"));
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(false, 0, "exited with code 0"), exit);
        Assert.Contains("PASS 6/6", launch.Log.Tail(20));
    }

    [Fact]
    public async Task A_semihosting_exit_with_code_3_is_a_failure_with_that_code_and_the_arguments_reach_the_firmware()
    {
        var spec = FirmwareLaunches.Spec("verdict", Mps2, "file:///images/verdict.elf", arguments: ["fail", "fail", "fail"]);
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Mps2, "verdict.elf"));
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.Equal(new WorkloadExit(true, 3, "exited with code 3"), exit);
        Assert.Contains("FAIL 3/6", launch.Log.Tail(20));
        Assert.Contains("[edgevisor] firmware ended: exited with code 3", launch.Log.Tail(5));
    }

    [Fact]
    public async Task A_firmware_that_locks_up_fails_with_the_reason_and_its_registers_go_to_the_log()
    {
        string image = _launches.File("lockup.bin", RawThumb.LockUp());
        var spec = FirmwareLaunches.Spec("lockup", Mps2, "file:///images/lockup.bin", configuration: new Dictionary<string, string> { ["loadAddress"] = "0x0" });
        var launch = _launches.Launch(spec, image);
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.True(exit.Failed);
        Assert.False(exit.Requested);
        Assert.StartsWith("lockup: ", exit.Reason);
        Assert.DoesNotContain('\n', exit.Reason);
        var tail = launch.Log.Tail(20);
        Assert.Contains(tail, line => line.StartsWith("[edgevisor] firmware ended: lockup: ", StringComparison.Ordinal));
        Assert.Contains(tail, line => line.StartsWith("[edgevisor] sp  0x", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_core_asleep_with_nothing_to_wake_it_fails_as_asleep(bool realtime)
    {
        string image = _launches.File("sleep.bin", RawThumb.SleepForever());
        var spec = FirmwareLaunches.Spec("sleeper", Mps2, "file:///images/sleep.bin", realtime, new Dictionary<string, string> { ["loadAddress"] = "0" });
        var launch = _launches.Launch(spec, image);
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.True(exit.Failed);
        Assert.StartsWith("asleep: ", exit.Reason);
    }

    [Fact]
    public async Task The_instruction_limit_from_the_configuration_ends_a_runaway_firmware()
    {
        var spec = FirmwareLaunches.Spec("bounded", Stm32, "file:///images/sensor-monitor.elf",
            configuration: new Dictionary<string, string> { ["maxInstructions"] = "1000" });
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"));
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        var exit = await workload.Exited.WaitAsync(Patience);

        Assert.True(exit.Failed);
        Assert.Equal("instructionlimit: instruction limit of 1,000 reached", exit.Reason);
    }

    [Fact]
    public async Task A_file_that_is_no_image_does_not_start_and_says_why()
    {
        string junk = _launches.File("junk.bin", "this is not firmware\n"u8.ToArray());
        var spec = FirmwareLaunches.Spec("junk", Stm32, "https://example.test/junk.bin");

        var error = await Assert.ThrowsAsync<WorkloadStartException>(() => _driver.StartAsync(_launches.Launch(spec, junk), CancellationToken.None));

        Assert.Equal("image: not ELF or Intel HEX; a raw binary needs a load address (configuration.loadAddress) (https://example.test/junk.bin)", error.Message);
    }

    [Fact]
    public void Validate_names_the_field_that_is_wrong()
    {
        var good = FirmwareLaunches.Spec("ok", Stm32, "file:///x.elf");
        Assert.Null(_driver.Validate(good));
        Assert.Null(_driver.Validate(good with { Configuration = new Dictionary<string, string> { ["hostAccess"] = "gpiochip0:2-27,i2c-1", ["maxInstructions"] = "1_000_000" } }));

        Assert.StartsWith("firmware.board: unknown board \"stm32f9-imaginary\" (known: ",
            _driver.Validate(good with { Firmware = good.Firmware! with { Board = "stm32f9-imaginary" } }));
        Assert.StartsWith("firmware: missing", _driver.Validate(good with { Firmware = null }));
        Assert.StartsWith("configuration.hostacess: not a firmware setting (known: hostAccess, loadAddress, maxInstructions)",
            _driver.Validate(good with { Configuration = new Dictionary<string, string> { ["hostacess"] = "i2c-1" } }));
        Assert.StartsWith("configuration.hostAccess: ",
            _driver.Validate(good with { Configuration = new Dictionary<string, string> { ["hostAccess"] = "gpiochip0:banana" } }));
        Assert.StartsWith("configuration.maxInstructions: \"-5\" is not a positive whole number",
            _driver.Validate(good with { Configuration = new Dictionary<string, string> { ["maxInstructions"] = "-5" } }));
        Assert.StartsWith("configuration.loadAddress: \"0x1_0000_0000\" is not a 32-bit address",
            _driver.Validate(good with { Configuration = new Dictionary<string, string> { ["loadAddress"] = "0x1_0000_0000" } }));
        // A board file path is not a board name: a deployment cannot make the device read local files as boards.
        Assert.StartsWith("firmware.board: unknown board", _driver.Validate(good with { Firmware = good.Firmware! with { Board = "/etc/passwd.json" } }));
    }

    [Fact]
    public async Task An_unknown_board_does_not_start()
    {
        var spec = FirmwareLaunches.Spec("nowhere", "stm32f9-imaginary", "file:///x.elf");

        var error = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _driver.StartAsync(_launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf")), CancellationToken.None));

        Assert.StartsWith("firmware.board: unknown board \"stm32f9-imaginary\"", error.Message);
    }

    [Fact]
    public async Task Host_passthrough_needs_host_access_in_the_configuration()
    {
        string wiring = _launches.File("host.wiring.json", """
            { "host": { "backend": "gpiod", "gpio": [ { "pin": "gpiod.12", "chip": 0, "line": 17 } ] } }
            """);
        var spec = FirmwareLaunches.Spec("passthrough", Stm32, "file:///images/sensor-monitor.elf", wiringUrl: "https://example.test/host.json");

        var error = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _driver.StartAsync(_launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"), wiring), CancellationToken.None));
        Assert.StartsWith("wiring: https://example.test/host.json passes pins or buses through to host hardware (gpiod), but the workload has no configuration.hostAccess", error.Message);

        // An allow-list of buses only does not open every GPIO line.
        var busOnly = spec with { Name = "bus-only", Configuration = new Dictionary<string, string> { ["hostAccess"] = "i2c-1" } };
        error = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _driver.StartAsync(_launches.Launch(busOnly, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"), wiring), CancellationToken.None));
        Assert.Contains("grants no GPIO lines", error.Message);
    }

    [Fact]
    public async Task A_workload_with_host_lines_runs_paced_by_its_machine_and_stops_promptly()
    {
        // The simulated host backend stands in for /dev/gpiochip0 (none on this machine) and needs no hostAccess.
        string wiring = _launches.File("host.wiring.json", """
            {
              "devices": [ { "name": "thermometer", "type": "tmp102", "bus": "i2c1", "address": "0x48", "temperature": 19.75 } ],
              "host": { "backend": "simulated", "gpio": [ { "pin": "gpiod.13", "chip": 0, "line": 17 } ] }
            }
            """);
        var spec = FirmwareLaunches.Spec("wired", Stm32, "file:///images/sensor-monitor.elf", realtime: true, wiringUrl: "file:///wiring/host.json");
        var launch = _launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"), wiring);
        await using var workload = await _driver.StartAsync(launch, CancellationToken.None);

        await LogWaiter.WaitForLine(launch.Log, "sensor-monitor: tick 1 t=19.75 C", Patience);
        var stopping = Stopwatch.StartNew();
        await workload.StopAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"stop took {stopping.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(new WorkloadExit(false, null, "stopped on request", Requested: true), await workload.Exited);
    }

    [Fact]
    public async Task A_bad_wiring_file_does_not_start_and_names_the_file()
    {
        string wiring = _launches.File("bad.wiring.json", """{ "devices": [ { "name": "t", "type": "tmp102", "bus": "i2c9" } ] }""");
        var spec = FirmwareLaunches.Spec("badwiring", Stm32, "file:///images/sensor-monitor.elf", wiringUrl: "https://example.test/bad.json");

        var error = await Assert.ThrowsAsync<WorkloadStartException>(() =>
            _driver.StartAsync(_launches.Launch(spec, FirmwareLaunches.Image(Stm32, "sensor-monitor.elf"), wiring), CancellationToken.None));

        Assert.StartsWith("wiring: https://example.test/bad.json", error.Message);
        Assert.Contains("i2c9", error.Message);
    }

    private static bool OsThreadExists(string name)
    {
        // Thread names are visible to the OS (first 15 characters) under /proc on Linux.
        string prefix = name.Length > 15 ? name[..15] : name;
        foreach (string comm in Directory.EnumerateFiles($"/proc/{Environment.ProcessId}/task", "comm", SearchOption.AllDirectories))
        {
            if (File.ReadAllText(comm).Trim() == prefix)
            {
                return true;
            }
        }

        return false;
    }
}
