using EdgeVisor.Emulation.Peripherals.I2c;
using EdgeVisor.Emulation.Peripherals.Stm32;
using EdgeVisor.Emulation.Peripherals.Stm32.I2c;
using static EdgeVisor.Emulation.Peripherals.Stm32.I2c.Stm32I2cRegisters;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.I2c;

/// <summary>A fixed STM32 clock tree: 168 MHz core, PCLK1 as set.</summary>
internal sealed class FixedClocks : IStm32Clocks
{
    public ulong Pclk1Hz { get; set; } = 42_000_000;

    public ulong SysclkHz => 168_000_000;

    public ulong HclkHz => 168_000_000;

    public ulong PclkHz(int apb) => apb == 1 ? Pclk1Hz : 84_000_000;

    public ulong TimerClockHz(int apb) => 2 * PclkHz(apb);

    public event Action? Changed;

    public void Raise() => Changed?.Invoke();
}

/// <summary>
/// An I2C1 controller at 168 MHz core / 42 MHz PCLK1, as firmware sees it: every register access costs a few core
/// cycles, so a polling loop lets virtual time (and the bus) move on, as on the real chip.
/// </summary>
internal sealed class I2cRig
{
    public const int EventLine = 31, ErrorLine = 32;

    /// <summary>Core cycles one register access costs the polling firmware.</summary>
    public const ulong CyclesPerAccess = 8;

    private const ulong PollLimitCycles = 20_000_000;

    public I2cRig()
    {
        Bench = new TestBench(168_000_000);
        I2c = new Stm32I2c("i2c1", Bench.Clock, Clocks, Bench.Line(EventLine), Bench.Line(ErrorLine));
        I2c.Reset();
        I2c.Bus.Traffic += e => Traffic.Add(e.ToString());
    }

    public TestBench Bench { get; }

    public FixedClocks Clocks { get; } = new();

    public Stm32I2c I2c { get; }

    /// <summary>The bus log, one line per wire step ("i2c1: S 0x48 W ACK").</summary>
    public List<string> Traffic { get; } = [];

    public ulong Now => Bench.Clock.Now;

    public uint Read(uint offset)
    {
        Bench.Advance(CyclesPerAccess);
        return I2c.Read(offset, 4);
    }

    public void Write(uint offset, uint value)
    {
        Bench.Advance(CyclesPerAccess);
        I2c.Write(offset, value, 4);
    }

    public void Set(uint offset, uint bits) => Write(offset, Read(offset) | bits);

    public void Clear(uint offset, uint bits) => Write(offset, Read(offset) & ~bits);

    /// <summary>SR1 | SR2 &lt;&lt; 16, the value StdPeriph's I2C_CheckEvent/GetLastEvent compares against its event constants.</summary>
    public uint LastEvent()
    {
        uint sr1 = Read(Sr1);
        return sr1 | (Read(Sr2) << 16);
    }

    /// <summary>HAL_I2C_Init's order: SWRST, FREQ, TRISE, CCR, then PE (standard mode 100 kHz by default).</summary>
    public void Init(uint ccr = 210, uint trise = 43)
    {
        Set(Cr1, Swrst);
        Clear(Cr1, Swrst);
        Write(Cr2, 42);
        Write(Trise, trise);
        Write(Ccr, ccr);
        Write(Cr1, Pe);
    }

    /// <summary>Polls SR1 until <paramref name="flag"/> is set; throws if it never comes.</summary>
    public void WaitSr1(uint flag) => Poll(() => (Read(Sr1) & flag) != 0, $"SR1 0x{flag:X}");

    public void Poll(Func<bool> condition, string what)
    {
        ulong limit = Now + PollLimitCycles;
        while (!condition())
        {
            if (Now > limit)
            {
                throw new TimeoutException($"{what} never came (SR1=0x{I2c.Read(Sr1, 4):X4} SR2=0x{I2c.Read(Sr2, 4):X4})");
            }

            Bench.Advance(CyclesPerAccess);
        }
    }

    /// <summary>Lets the bus finish whatever it is doing (a STOP in flight).</summary>
    public void Settle() => Bench.Advance(100_000);

    public RegisterFileTarget Attach(int address)
    {
        var target = new RegisterFileTarget();
        I2c.Bus.Attach(address, target);
        return target;
    }
}
