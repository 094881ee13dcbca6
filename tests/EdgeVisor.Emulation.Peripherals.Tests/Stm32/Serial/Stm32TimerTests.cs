using System.Text.Json;
using EdgeVisor.Emulation.Boards;
using EdgeVisor.Emulation.Peripherals.Catalog;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.Timers;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.Serial;

public class Stm32TimerTests
{
    private const uint Cr1 = 0x00, Cr2 = 0x04, Dier = 0x0C, Sr = 0x10, Egr = 0x14, Ccmr1 = 0x18, Cnt = 0x24, Psc = 0x28, Arr = 0x2C, Rcr = 0x30, Ccr1 = 0x34, Bdtr = 0x44;
    private const uint Cen = 1, Udis = 2, Urs = 4, Opm = 8, Dir = 0x10, CenterAligned1 = 0x20, Arpe = 0x80;
    private const uint Uif = 1, Cc1If = 2, Bif = 0x80, Ug = 1, Bg = 0x80;
    private const int Global = 28, UpdateLine = 25, CompareLine = 27, BreakLine = 24;

    // TIM2-5 on APB1: an 84 MHz kernel clock with a 168 MHz core, 2 core cycles per tick at PSC 0.
    private readonly TestBench _bench = new(168_000_000);
    private readonly FakeStm32Clocks _clocks = new();

    private Stm32Timer Timer(TimerLayout? layout = null, int bits = 16, int apb = 1)
    {
        var timer = new Stm32Timer(
            "tim",
            layout ?? TimerLayout.General,
            bits,
            _bench.Clock,
            _clocks,
            apb,
            new TimerInterrupts(_bench.Line(Global), _bench.Line(UpdateLine), _bench.Line(CompareLine), _bench.Line(26), _bench.Line(BreakLine)));
        timer.Reset();
        return timer;
    }

    private List<ulong> UpdateTimes(Stm32Timer timer, int count)
    {
        var times = new List<ulong>();
        while (times.Count < count)
        {
            _bench.AdvanceTo(_bench.Clock.NextEventAt);
            if ((timer.Read(Sr, 4) & Uif) != 0)
            {
                times.Add(_bench.Clock.Now);
                timer.Write(Sr, ~Uif, 4);
            }
        }

        return times;
    }

    [Fact]
    public void Reset_values_follow_rm0090_auto_reload_all_ones()
    {
        var tim3 = Timer();
        var tim2 = Timer(bits: 32);
        Assert.Equal(0xFFFFu, tim3.Read(Arr, 4));
        Assert.Equal(0xFFFF_FFFFu, tim2.Read(Arr, 4));
        foreach (uint offset in new[] { Cr1, Cr2, Dier, Sr, Cnt, Psc, Ccr1 })
        {
            Assert.Equal(0u, tim3.Read(offset, 4));
        }
    }

    [Fact]
    public void Update_events_come_every_arr_plus_one_ticks_and_the_prescaler_waits_for_an_update()
    {
        var timer = Timer();
        timer.Write(Psc, 83, 4);  // 1 MHz once loaded
        timer.Write(Arr, 999, 4);
        timer.Write(Cr1, Cen, 4);
        // The first period still runs at PSC 0 (1000 ticks of 2 cycles); then 1000 ticks of 168 cycles each.
        Assert.Equal([2000UL, 2000 + 168_000, 2000 + (2 * 168_000)], UpdateTimes(timer, 3));
    }

    [Fact]
    public void Ug_reloads_the_prescaler_and_counter_and_sets_uif_unless_urs()
    {
        var timer = Timer();
        timer.Write(Psc, 83, 4);
        timer.Write(Arr, 999, 4);
        timer.Write(Egr, Ug, 4);
        Assert.Equal(Uif, timer.Read(Sr, 4));
        timer.Write(Sr, 0, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(168 * 10);
        Assert.Equal(10u, timer.Read(Cnt, 4));
        Assert.Equal([168_000UL], UpdateTimes(timer, 1));

        timer.Write(Cr1, Cen | Urs, 4);
        _bench.Advance(168 * 5);
        timer.Write(Sr, 0, 4);
        timer.Write(Egr, Ug, 4);
        Assert.Equal(0u, timer.Read(Sr, 4) & Uif);
        Assert.Equal(0u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Update_interrupt_is_a_level_held_while_uif_and_uie_are_set()
    {
        var timer = Timer();
        timer.Write(Arr, 99, 4);
        timer.Write(Dier, 1, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(199);
        Assert.False(_bench.Controller.Level(Global));
        _bench.Advance(1);
        Assert.True(_bench.Controller.Level(Global));
        _bench.Advance(1000);
        Assert.True(_bench.Controller.Level(Global)); // not cleared by firmware: stays pending
        timer.Write(Sr, ~Uif, 4);
        Assert.False(_bench.Controller.Level(Global));
        Assert.Equal([200UL], _bench.Controller.Rises(Global));
    }

    [Fact]
    public void Arr_is_preloaded_with_arpe_and_immediate_without()
    {
        var timer = Timer();
        timer.Write(Arr, 999, 4);
        timer.Write(Cr1, Cen | Arpe, 4);
        _bench.Advance(2 * 100);
        timer.Write(Arr, 199, 4); // takes effect after this period
        Assert.Equal([2000UL, 2400, 2800], UpdateTimes(timer, 3));

        var direct = Timer();
        direct.Write(Arr, 999, 4);
        direct.Write(Cr1, Cen, 4);
        _bench.Advance(2 * 500);
        direct.Write(Arr, 299, 4); // count is 500, above the new ARR: it runs on to 0xFFFF and wraps
        ulong start = _bench.Clock.Now;
        Assert.Equal([start + (2 * (0x10000 - 500))], UpdateTimes(direct, 1));
    }

    [Fact]
    public void Down_counting_underflows_after_count_plus_one_ticks_and_reloads_arr()
    {
        var timer = Timer();
        timer.Write(Arr, 49, 4);
        timer.Write(Cr1, Dir, 4);
        timer.Write(Egr, Ug, 4); // down-counting UG loads ARR
        timer.Write(Sr, 0, 4);
        Assert.Equal(49u, timer.Read(Cnt, 4));
        timer.Write(Cr1, Cen | Dir, 4);
        _bench.Advance(2 * 9);
        Assert.Equal(40u, timer.Read(Cnt, 4));
        Assert.Equal([100UL, 200], UpdateTimes(timer, 2));
        Assert.Equal(49u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Center_aligned_counting_updates_at_arr_and_at_zero_and_shows_the_direction()
    {
        var timer = Timer();
        timer.Write(Arr, 10, 4);
        timer.Write(Cr1, Cen | CenterAligned1, 4);
        _bench.Advance(2 * 4);
        Assert.Equal(4u, timer.Read(Cnt, 4));
        Assert.Equal(0u, timer.Read(Cr1, 4) & Dir);
        Assert.Equal([20UL, 40, 60], UpdateTimes(timer, 3));
        _bench.Advance(2 * 3);
        Assert.Equal(7u, timer.Read(Cnt, 4));
        Assert.Equal(Dir, timer.Read(Cr1, 4) & Dir); // going down from the overflow at tick 30
    }

    [Fact]
    public void One_pulse_mode_stops_at_the_update_event()
    {
        var timer = Timer();
        timer.Write(Arr, 9, 4);
        timer.Write(Cr1, Cen | Opm, 4);
        _bench.Advance(1000);
        Assert.Equal(Opm, timer.Read(Cr1, 4));
        Assert.Equal(Uif, timer.Read(Sr, 4) & Uif);
        Assert.Equal(0u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Udis_suppresses_update_events_but_the_counter_still_wraps()
    {
        var timer = Timer();
        timer.Write(Arr, 9, 4);
        timer.Write(Cr1, Cen | Udis, 4);
        _bench.Advance(2 * 25);
        Assert.Equal(0u, timer.Read(Sr, 4) & Uif);
        Assert.Equal(5u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Output_compare_sets_ccxif_when_the_count_reaches_ccr_and_interrupts_with_ccxie()
    {
        var timer = Timer();
        timer.Write(Arr, 999, 4);
        timer.Write(Ccmr1, 0x0100, 4); // CC2S = 01: channel 2 is an input (only channel 1 compares)
        timer.Write(0x1C, 0x0101, 4);  // channels 3 and 4 too
        timer.Write(Ccr1, 250, 4);
        timer.Write(Dier, 1 << 1, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(499);
        Assert.Equal(0u, timer.Read(Sr, 4));
        _bench.Advance(1);
        Assert.Equal(Cc1If, timer.Read(Sr, 4));
        Assert.True(_bench.Controller.Level(Global));
        timer.Write(Sr, ~Cc1If, 4);
        Assert.False(_bench.Controller.Level(Global));

        // An input-capture channel (CC1S = 01) does not compare.
        timer.Write(Ccmr1, 0x0101, 4);
        _bench.Advance(2000);
        Assert.Equal(Uif, timer.Read(Sr, 4));
    }

    [Fact]
    public void Output_compare_channels_at_their_reset_ccr_of_zero_flag_at_every_overflow_as_on_silicon()
    {
        var timer = Timer();
        timer.Write(Arr, 9, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(20);
        Assert.Equal(0x1Fu, timer.Read(Sr, 4));
    }

    [Fact]
    public void Status_flags_clear_only_where_zero_is_written_and_egr_generates_compare_events()
    {
        var timer = Timer();
        timer.Write(Egr, 0x1F, 4);
        Assert.Equal(0x1Fu, timer.Read(Sr, 4));
        timer.Write(Sr, ~Cc1If, 4);
        Assert.Equal(0x1Du, timer.Read(Sr, 4));
        Assert.Equal(0u, timer.Read(Egr, 4)); // write-only
    }

    [Fact]
    public void Kernel_clock_change_from_rcc_changes_the_tick_rate_from_that_moment()
    {
        var timer = Timer();
        timer.Write(Arr, 999, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(2 * 100);
        _clocks.Set(1, 21_000_000, 42_000_000); // APB1 prescaler doubled: 4 core cycles per tick
        _bench.Advance(4 * 100);
        Assert.Equal(200u, timer.Read(Cnt, 4));
        Assert.Equal([200 + 400 + (4UL * 800)], UpdateTimes(timer, 1));
    }

    [Fact]
    public void Kernel_clock_that_does_not_divide_the_core_clock_keeps_exact_time()
    {
        // After reset the STM32 runs on the 16 MHz HSI while the core here counts 168 MHz cycles: 10.5 per tick.
        _clocks.Set(1, 16_000_000, 16_000_000);
        var timer = Timer();
        timer.Write(Arr, 1, 4);
        timer.Write(Cr1, Cen, 4);
        Assert.Equal([21UL, 42, 63, 84], UpdateTimes(timer, 4));
    }

    [Fact]
    public void Thirty_two_bit_counter_counts_past_16_bits()
    {
        var timer = Timer(bits: 32);
        timer.Write(Arr, 100_000, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(2 * 70_000);
        Assert.Equal(70_000u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Register_access_sees_an_update_that_is_due_before_the_clock_ran_it()
    {
        var timer = Timer();
        timer.Write(Arr, 9, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Clock.AdvanceTo(25); // mid-block: time moved, events not yet run
        Assert.Equal(2u, timer.Read(Cnt, 4));
        Assert.Equal(Uif, timer.Read(Sr, 4) & Uif);
    }

    [Fact]
    public void Advanced_timer_repetition_counter_spaces_update_events_and_has_its_own_lines()
    {
        var timer = Timer(TimerLayout.AdvancedControl, apb: 2); // 168 MHz kernel: one cycle per tick
        timer.Write(Arr, 9, 4);
        timer.Write(Rcr, 2, 4);
        timer.Write(Egr, Ug, 4);
        timer.Write(Sr, 0, 4);
        timer.Write(Dier, 1, 4);
        timer.Write(Cr1, Cen, 4);
        Assert.Equal([30UL, 60], UpdateTimes(timer, 2));
        Assert.NotEmpty(_bench.Controller.Rises(UpdateLine));
        Assert.Empty(_bench.Controller.Rises(CompareLine));

        timer.Write(Bdtr, 1 << 15, 4);
        timer.Write(Dier, 1 << 7, 4);
        timer.Write(Egr, Bg, 4);
        Assert.Equal(Bif, timer.Read(Sr, 4) & Bif);
        Assert.Equal(0u, timer.Read(Bdtr, 4));
        Assert.True(_bench.Controller.Level(BreakLine));
    }

    [Fact]
    public void Basic_timer_has_no_direction_channels_or_repetition()
    {
        var timer = Timer(TimerLayout.Basic);
        timer.Write(Cr1, 0xFFFF, 4);
        Assert.Equal(0x8Fu, timer.Read(Cr1, 4));
        timer.Write(Cr1, 0, 4);
        timer.Write(Ccr1, 5, 4);
        timer.Write(Rcr, 5, 4);
        Assert.Equal(0u, timer.Read(Ccr1, 4));
        Assert.Equal(0u, timer.Read(Rcr, 4));
        timer.Write(Egr, 0xFF, 4);
        Assert.Equal(Uif, timer.Read(Sr, 4));
    }

    [Fact]
    public void A_zero_auto_reload_value_blocks_the_counter()
    {
        var timer = Timer();
        timer.Write(Arr, 0, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(1000);
        Assert.Equal(0u, timer.Read(Cnt, 4));
        Assert.Equal(0u, timer.Read(Sr, 4) & Uif);
        Assert.Equal(ulong.MaxValue, _bench.Clock.NextEventAt);
        timer.Write(Arr, 9, 4);
        _bench.Advance(2 * 3);
        Assert.Equal(3u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Writing_cnt_while_running_moves_the_count_and_the_next_update()
    {
        var timer = Timer();
        timer.Write(Arr, 999, 4);
        timer.Write(Cr1, Cen, 4);
        _bench.Advance(2 * 10);
        timer.Write(Cnt, 990, 4);
        Assert.Equal(990u, timer.Read(Cnt, 4));
        Assert.Equal([20UL + (2 * 10)], UpdateTimes(timer, 1));
    }

    [Fact]
    public void Down_counting_compare_matches_on_the_way_down()
    {
        var timer = Timer();
        timer.Write(Arr, 99, 4);
        timer.Write(Ccmr1, 0x0100, 4);
        timer.Write(0x1C, 0x0101, 4);
        timer.Write(Ccr1, 30, 4);
        timer.Write(Cr1, Dir, 4);
        timer.Write(Egr, Ug, 4);
        timer.Write(Sr, 0, 4);
        timer.Write(Cr1, Cen | Dir, 4);
        _bench.Advance((2 * 69) - 1);
        Assert.Equal(0u, timer.Read(Sr, 4));
        _bench.Advance(1);
        Assert.Equal(Cc1If, timer.Read(Sr, 4));
        Assert.Equal(30u, timer.Read(Cnt, 4));
    }

    [Fact]
    public void Compare_register_with_preload_changes_at_the_update_event()
    {
        const uint Oc1Pe = 1 << 3;
        var timer = Timer();
        timer.Write(Arr, 99, 4);
        timer.Write(Ccmr1, 0x0100 | Oc1Pe, 4);
        timer.Write(0x1C, 0x0101, 4);
        timer.Write(Ccr1, 50, 4);
        timer.Write(Egr, Ug, 4); // loads CCR1 into the active register
        timer.Write(Sr, 0, 4);
        timer.Write(Cr1, Cen, 4);
        timer.Write(Ccr1, 20, 4); // preloaded: this period still compares at 50
        _bench.Advance(2 * 30);
        Assert.Equal(0u, timer.Read(Sr, 4) & Cc1If);
        _bench.Advance(2 * 20);
        Assert.Equal(Cc1If, timer.Read(Sr, 4) & Cc1If);
        timer.Write(Sr, 0, 4);
        _bench.Advance((2 * 50) + (2 * 20));
        Assert.Equal(Cc1If | Uif, timer.Read(Sr, 4)); // the next period compared at 20
        Assert.Equal(20u, timer.Read(Ccr1, 4));
    }

    [Fact]
    public void Catalog_rejects_an_unknown_timer_kind_naming_the_known_ones()
    {
        var description = new PeripheralDescription
        {
            Name = "tim6",
            Type = "stm32-timer",
            Base = 0x40001000,
            Properties = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"kind": "simple"}""")!,
        };
        var context = new PeripheralContext(_bench.Clock, _bench.Router);
        context.Services.Add<IStm32Clocks>(_clocks);
        var e = Assert.Throws<FormatException>(() => PeripheralCatalog.Create(description, context));
        Assert.Equal("peripheral tim6: property 'kind' must be one of basic, general, general-2ch, general-1ch, advanced, not 'simple'", e.Message);
    }
}
