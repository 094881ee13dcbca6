using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.Tests.Time;

public sealed class VirtualClockTests
{
    private readonly VirtualClock _clock = new(25_000_000);
    private readonly List<string> _log = [];

    [Fact]
    public void An_event_runs_exactly_at_its_cycle_and_only_once()
    {
        _clock.Schedule(100, () => _log.Add($"tick@{_clock.Now}"));

        _clock.AdvanceTo(99);
        _clock.RunDueEvents();
        Assert.Empty(_log);
        Assert.Equal(100u, _clock.NextEventAt);

        _clock.AdvanceTo(100);
        _clock.RunDueEvents();
        _clock.RunDueEvents();
        Assert.Equal(["tick@100"], _log);
        Assert.Equal(ulong.MaxValue, _clock.NextEventAt);
    }

    [Fact]
    public void Events_run_in_time_order_and_same_cycle_events_in_scheduling_order()
    {
        _clock.ScheduleAt(30, () => _log.Add("c30"));
        _clock.ScheduleAt(10, () => _log.Add("a10"));
        _clock.ScheduleAt(20, () => _log.Add("b20-first"));
        _clock.ScheduleAt(20, () => _log.Add("b20-second"));

        Assert.Equal(10u, _clock.NextEventAt);
        _clock.AdvanceTo(30);
        _clock.RunDueEvents();

        Assert.Equal(["a10", "b20-first", "b20-second", "c30"], _log);
    }

    [Fact]
    public void An_event_scheduled_by_an_event_for_the_same_instant_runs_in_the_same_pass_but_a_later_one_waits()
    {
        _clock.ScheduleAt(5, () =>
        {
            _log.Add("outer");
            _clock.Schedule(0, () => _log.Add("same-instant"));
            _clock.Schedule(1, () => _log.Add("next-cycle"));
        });

        _clock.AdvanceTo(5);
        _clock.RunDueEvents();
        Assert.Equal(["outer", "same-instant"], _log);
        Assert.Equal(6u, _clock.NextEventAt);
    }

    [Fact]
    public void A_cancelled_event_never_runs_and_does_not_hold_up_NextEventAt()
    {
        var early = _clock.ScheduleAt(10, () => _log.Add("early"));
        _clock.ScheduleAt(50, () => _log.Add("late"));

        early.Cancel();
        Assert.True(early.Cancelled);
        Assert.Equal(50u, _clock.NextEventAt);

        _clock.AdvanceTo(100);
        _clock.RunDueEvents();
        Assert.Equal(["late"], _log);
    }

    [Fact]
    public void Cancelling_an_event_that_already_ran_is_harmless_and_it_reports_itself_done()
    {
        var e = _clock.Schedule(1, () => _log.Add("ran"));
        _clock.AdvanceTo(1);
        _clock.RunDueEvents();

        Assert.True(e.Cancelled);
        e.Cancel();
        e.Cancel();
        Assert.Equal(["ran"], _log);
        Assert.Equal(ulong.MaxValue, _clock.NextEventAt);
    }

    [Fact]
    public void An_event_for_a_cycle_already_past_runs_at_the_next_pass()
    {
        _clock.AdvanceTo(1000);
        _clock.ScheduleAt(10, () => _log.Add($"late@{_clock.Now}"));

        Assert.Equal(1000u, _clock.NextEventAt);
        _clock.RunDueEvents();
        Assert.Equal(["late@1000"], _log);
    }

    [Fact]
    public void Time_never_moves_backwards()
    {
        _clock.AdvanceTo(500);
        _clock.AdvanceTo(100);
        Assert.Equal(500u, _clock.Now);
    }

    [Fact]
    public void A_huge_delay_saturates_instead_of_wrapping_into_the_past()
    {
        _clock.AdvanceTo(10);
        _clock.Schedule(ulong.MaxValue, () => _log.Add("never"));

        _clock.AdvanceTo(1_000_000);
        _clock.RunDueEvents();
        Assert.Empty(_log);
    }

    [Fact]
    public void Elapsed_is_exact_to_the_tick()
    {
        _clock.AdvanceTo((25_000_000 * 3UL) + 25);
        Assert.Equal(TimeSpan.FromSeconds(3) + TimeSpan.FromTicks(10), _clock.Elapsed);

        var slow = new VirtualClock(3);
        slow.AdvanceTo(1);
        Assert.Equal(TimeSpan.FromTicks(3_333_333), slow.Elapsed);

        var fast = new VirtualClock(1_000_000_000);
        fast.AdvanceTo(ulong.MaxValue);
        Assert.Equal(TimeSpan.FromTicks((long)(ulong.MaxValue / 100)), fast.Elapsed);
    }

    [Fact]
    public void CyclesFor_converts_durations_at_the_clock_rate()
    {
        Assert.Equal(25_000u, _clock.CyclesFor(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(25u, _clock.CyclesFor(TimeSpan.FromMicroseconds(1)));
        Assert.Equal(25_000_000UL * 3600, _clock.CyclesFor(TimeSpan.FromHours(1)));
        Assert.Equal(0u, _clock.CyclesFor(TimeSpan.FromSeconds(-1)));
        Assert.Equal(0u, _clock.CyclesFor(TimeSpan.Zero));
    }

    [Fact]
    public void A_timer_reprogrammed_many_times_does_not_grow_the_queue_without_bound()
    {
        var pending = _clock.ScheduleAt(1_000_000, () => _log.Add("stale"));
        for (int i = 0; i < 10_000; i++)
        {
            pending.Cancel();
            pending = _clock.ScheduleAt(1_000_000 + (ulong)i, () => _log.Add("current"));
        }

        Assert.True(_clock.QueuedCount < 200, $"queue holds {_clock.QueuedCount} entries");
        Assert.Equal(1_000_000u + 9_999, _clock.NextEventAt);
        _clock.AdvanceTo(2_000_000);
        _clock.RunDueEvents();
        Assert.Equal(["current"], _log);
    }

    [Fact]
    public void A_zero_frequency_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualClock(0));
    }
}
