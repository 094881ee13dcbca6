using System.Device.Gpio;
using EdgeVisor.Hardware.Tests.Doubles;

namespace EdgeVisor.Hardware.Tests.Gpiod;

/// <summary>The System.Device.Gpio backend under the real GpioController: claiming, driving, edges, release.</summary>
public sealed class GpiodHostGpioTests
{
    private static readonly HostPin Line17 = new(0, 17);

    [Fact]
    public void Claiming_a_line_opens_it_as_an_input_with_an_edge_callback_for_both_edges()
    {
        using var host = new TestHost();

        host.Hardware.ClaimPin(Line17, "gpio0.3");

        Assert.Equal(PinMode.Input, host.Driver.ModeOf(17));
        Assert.Equal(1, host.Driver.CallbackCount(17));
        Assert.Contains("callback+ 17 Rising, Falling", host.Driver.Log);
        Assert.Equal([Line17], host.Hardware.ClaimedPins);
    }

    [Fact]
    public void An_output_is_written_through_the_controller_and_returns_to_an_input_and_is_closed_on_dispose()
    {
        using var host = new TestHost();
        IHostGpioLine line = host.Hardware.ClaimPin(Line17, "gpio0.3");

        line.SetOutput(true);
        Assert.Equal(PinMode.Output, host.Driver.ModeOf(17));
        Assert.Equal(PinValue.High, host.Driver.ValueOf(17));

        line.Dispose();

        string[] tail = [.. host.Driver.Log.TakeLast(2)];
        Assert.Equal(["mode 17 Input", "close 17"], tail);
        Assert.Equal(0, host.Driver.CallbackCount(17));
        Assert.False(host.Driver.IsOpen(17));
        Assert.Empty(host.Hardware.ClaimedPins);
    }

    [Fact]
    public void Edge_events_are_watched_only_while_the_line_is_an_input()
    {
        using var host = new TestHost();
        IHostGpioLine line = host.Hardware.ClaimPin(Line17, "gpio0.3");

        line.SetOutput(false);
        Assert.Equal(0, host.Driver.CallbackCount(17));
        Assert.True(host.Driver.Log.ToList().IndexOf("callback- 17") < host.Driver.Log.ToList().IndexOf("mode 17 Output"));

        line.SetInput(HostPull.None);
        Assert.Equal(1, host.Driver.CallbackCount(17));
        Assert.True(host.Driver.Log.ToList().LastIndexOf("callback+ 17 Rising, Falling") > host.Driver.Log.ToList().LastIndexOf("mode 17 Input"));
    }

    [Fact]
    public void Disposing_the_hardware_after_a_crash_returns_every_claimed_output_to_an_input()
    {
        var host = new TestHost();
        void RunUntilCrash()
        {
            try
            {
                host.Hardware.ClaimPin(new HostPin(0, 5), "led").SetOutput(true);
                host.Hardware.ClaimPin(new HostPin(0, 6), "buzzer").SetOutput(false);
                throw new InvalidOperationException("the machine crashed");
            }
            finally
            {
                host.Dispose();
            }
        }

        Assert.Throws<InvalidOperationException>(RunUntilCrash);

        Assert.False(host.Driver.IsOpen(5));
        Assert.False(host.Driver.IsOpen(6));
        Assert.Contains("mode 5 Input", host.Driver.Log);
        Assert.Contains("mode 6 Input", host.Driver.Log);
        Assert.True(host.Driver.Log.ToList().IndexOf("mode 5 Input") < host.Driver.Log.ToList().IndexOf("close 5"));
    }

    [Fact]
    public void A_line_used_after_shutdown_ignores_writes_instead_of_throwing_into_the_machine()
    {
        var host = new TestHost();
        IHostGpioLine line = host.Hardware.ClaimPin(Line17, "gpio0.3");
        line.SetOutput(true);
        host.Dispose();

        line.SetOutput(false);

        Assert.False(line.Read());
        Assert.DoesNotContain("write 17 Low", host.Driver.Log);
    }

    [Fact]
    public void A_line_another_process_holds_is_a_clear_error_and_is_not_taken_over()
    {
        using var host = new TestHost();
        host.Driver.Busy.Add(17);

        var error = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(Line17, "gpiod.12"));

        Assert.StartsWith("gpiod.12: gpiochip0 line 17 is in use by another process", error.Message);
        Assert.DoesNotContain(host.Driver.Log, entry => entry.StartsWith("mode 17", StringComparison.Ordinal) || entry.StartsWith("write 17", StringComparison.Ordinal));
        Assert.Empty(host.Hardware.ClaimedPins);
    }

    [Fact]
    public void A_line_past_the_end_of_the_chip_or_a_missing_chip_is_refused_without_opening_anything()
    {
        using var host = new TestHost(lineCount: 54);

        var noLine = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(new HostPin(0, 60), "gpiod.12"));
        var noChip = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(new HostPin(3, 1), "gpiod.13"));

        Assert.Equal("gpiod.12: gpiochip0 line 60 does not exist (gpiochip0 has lines 0-53)", noLine.Message);
        Assert.Equal("gpiod.13: gpiochip3 line 1: this host has no gpiochip3", noChip.Message);
        Assert.DoesNotContain(host.Driver.Log, entry => entry.StartsWith("open", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_host_line_cannot_be_claimed_twice()
    {
        using var host = new TestHost();
        host.Hardware.ClaimPin(Line17, "gpiod.12");

        var error = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(Line17, "gpiod.13"));

        Assert.Equal("gpiod.13: gpiochip0 line 17 is already claimed by this machine", error.Message);
    }

    [Fact]
    public async Task Edges_from_the_driver_thread_arrive_with_their_level_and_a_timestamp()
    {
        using var host = new TestHost();
        IHostGpioLine line = host.Hardware.ClaimPin(Line17, "button");
        var edges = new List<(bool Level, long Ticks)>();
        line.EdgeDetected += (level, ticks) =>
        {
            lock (edges)
            {
                edges.Add((level, ticks));
            }
        };

        long before = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.Run(() =>
        {
            host.Driver.RaiseEdge(17, true);
            host.Driver.RaiseEdge(17, false);
        });

        Assert.Equal([true, false], edges.Select(e => e.Level));
        Assert.All(edges, e => Assert.True(e.Ticks >= before));
        Assert.False(line.Read());
    }

    [Fact]
    public void Input_pulls_map_to_the_driver_modes_and_fall_back_to_a_plain_input_where_the_chip_cannot_pull()
    {
        using var host = new TestHost();
        IHostGpioLine line = host.Hardware.ClaimPin(Line17, "button");

        line.SetInput(HostPull.Up);
        Assert.Equal(PinMode.InputPullUp, host.Driver.ModeOf(17));
        line.SetInput(HostPull.Down);
        Assert.Equal(PinMode.InputPullDown, host.Driver.ModeOf(17));

        host.Driver.SupportsPull = false;
        line.SetInput(HostPull.Up);
        Assert.Equal(PinMode.Input, host.Driver.ModeOf(17));
    }
}
