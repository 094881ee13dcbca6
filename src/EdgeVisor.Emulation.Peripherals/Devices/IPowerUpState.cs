namespace EdgeVisor.Emulation.Peripherals.Devices;

/// <summary>
/// A part whose registers hold a result of its surroundings from the moment it powers up (a sensor that converts
/// at power-up). The catalog calls <see cref="SettleAtPowerUp"/> after applying the initial quantities, so the
/// firmware's first read sees them instead of the model's defaults.
/// </summary>
public interface IPowerUpState
{
    /// <summary>Brings the result registers in line with the current quantities, as the power-up conversion would.</summary>
    void SettleAtPowerUp();
}
