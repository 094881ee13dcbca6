namespace EdgeVisor.Emulation.Peripherals.I2c;

/// <summary>A peripheral model that masters an I2C bus (the STM32 I2C block); wiring attaches devices to its <see cref="Bus"/>.</summary>
public interface II2cController
{
    /// <summary>The controller's instance name, which is also the bus name ("i2c1").</summary>
    string Name { get; }

    I2cBus Bus { get; }
}
