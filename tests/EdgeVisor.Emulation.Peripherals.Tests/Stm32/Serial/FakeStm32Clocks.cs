using EdgeVisor.Emulation.Peripherals.Stm32;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.Serial;

/// <summary>A clock tree a test sets directly: PCLK per APB, timer clocks twice PCLK unless told otherwise.</summary>
internal sealed class FakeStm32Clocks : IStm32Clocks
{
    private readonly ulong[] _pclk = [0, 42_000_000, 84_000_000];
    private readonly ulong[] _timer = [0, 84_000_000, 168_000_000];

    public event Action? Changed;

    public ulong SysclkHz => 168_000_000;

    public ulong HclkHz => 168_000_000;

    public ulong PclkHz(int apb) => _pclk[apb];

    public ulong TimerClockHz(int apb) => _timer[apb];

    /// <summary>Reprograms one APB (as firmware writing RCC_CFGR would) and raises <see cref="Changed"/>.</summary>
    public void Set(int apb, ulong pclkHz, ulong timerHz)
    {
        _pclk[apb] = pclkHz;
        _timer[apb] = timerHz;
        Changed?.Invoke();
    }
}
