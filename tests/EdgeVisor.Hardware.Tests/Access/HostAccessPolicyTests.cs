using EdgeVisor.Hardware.Tests.Doubles;

namespace EdgeVisor.Hardware.Tests.Access;

/// <summary>What a machine may use on the host, checked before anything is claimed.</summary>
public sealed class HostAccessPolicyTests
{
    [Theory]
    [InlineData(0x00)]
    [InlineData(0x07)]
    [InlineData(0x78)]
    [InlineData(0x7F)]
    public void Reserved_i2c_addresses_are_refused(int address)
    {
        using var host = new TestHost();

        var error = Assert.Throws<HostHardwareException>(() => host.Hardware.OpenI2c(1, address, "wiring.json: i2c1"));

        Assert.Equal($"wiring.json: i2c1: i2c-1 address 0x{address:X2} is reserved by the I2C specification (0x00-0x07 and 0x78-0x7F are refused)", error.Message);
        Assert.Empty(host.Devices);
    }

    [Fact]
    public void The_raspberry_pi_header_policy_refuses_lines_and_buses_outside_the_header()
    {
        using var host = new TestHost(HostAccessPolicy.RaspberryPiHeader());

        var line = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(new HostPin(0, 40), "gpiod.12"));
        var eeprom = Assert.Throws<HostHardwareException>(() => host.Hardware.ClaimPin(new HostPin(0, 0), "gpiod.13"));
        host.Hardware.ClaimPin(new HostPin(0, 27), "gpiod.14");

        Assert.Equal("gpiod.12: gpiochip0 line 40 is not allowed by the host access policy (allowed: gpiochip0:2-27)", line.Message);
        Assert.Contains("gpiochip0 line 0 is not allowed", eeprom.Message);
        Assert.DoesNotContain("open 40", host.Driver.Log);
    }

    [Fact]
    public void An_address_allow_list_refuses_other_addresses_on_the_same_bus()
    {
        using var host = new TestHost(HostAccessPolicy.Parse("i2c-1:0x40-0x4F"));

        host.Hardware.OpenI2c(1, 0x48, "i2c1@0x48");
        var error = Assert.Throws<HostHardwareException>(() => host.Hardware.OpenI2c(1, 0x50, "i2c1@0x50"));

        Assert.Equal("i2c1@0x50: i2c-1 address 0x50 is not allowed by the host access policy (allowed: i2c-1:0x40-0x4F)", error.Message);
    }

    [Fact]
    public void Validate_reports_every_problem_of_a_wiring_and_claims_nothing()
    {
        using var host = new TestHost(HostAccessPolicy.Parse("gpiochip0:2-27, i2c-1"));
        host.Driver.Busy.Add(5);
        HostPinUse[] pins =
        [
            new(new HostPin(0, 4), "wiring.json: pins[0] (gpiod.12)"),
            new(new HostPin(0, 4), "wiring.json: pins[1] (gpiod.13)"),
            new(new HostPin(0, 30), "wiring.json: pins[2] (gpiod.14)"),
            new(new HostPin(0, 99), "wiring.json: pins[3] (gpiod.15)"),
        ];
        HostI2cUse[] devices = [new(1, 0x48, "wiring.json: i2c[0]"), new(2, 0x48, "wiring.json: i2c[1]"), new(1, 0x03, "wiring.json: i2c[2]")];

        IReadOnlyList<string> problems = host.Hardware.Validate(pins, devices);

        Assert.Equal(
            [
                "wiring.json: pins[1] (gpiod.13): gpiochip0 line 4 is already used by wiring.json: pins[0] (gpiod.12) (one host line serves one guest pin)",
                "wiring.json: pins[2] (gpiod.14): gpiochip0 line 30 is not allowed by the host access policy (allowed: gpiochip0:2-27, i2c-1)".Replace(", i2c-1)", ")", StringComparison.Ordinal),
                "wiring.json: pins[3] (gpiod.15): gpiochip0 line 99 does not exist (gpiochip0 has lines 0-53)",
                "wiring.json: i2c[1]: this host has no I2C bus i2c-2",
                "wiring.json: i2c[2]: i2c-1 address 0x03 is reserved by the I2C specification (0x00-0x07 and 0x78-0x7F are refused)",
            ],
            problems);
        Assert.Throws<HostHardwareException>(() => host.Hardware.EnsureValid(pins, devices));
        Assert.Empty(host.Driver.Log);
        Assert.Empty(host.Hardware.ClaimedPins);
    }

    [Fact]
    public void A_valid_wiring_passes_validation()
    {
        using var host = new TestHost(HostAccessPolicy.RaspberryPiHeader());

        host.Hardware.EnsureValid([new(new HostPin(0, 17), "led"), new(new HostPin(0, 27), "button")], [new(1, 0x48, "tmp102")]);

        Assert.Empty(host.Hardware.Validate([new(new HostPin(0, 17), "led")], []));
    }

    [Fact]
    public void Validation_knows_lines_this_machine_already_claimed()
    {
        using var host = new TestHost();
        host.Hardware.ClaimPin(new HostPin(0, 17), "led");

        Assert.Equal(["button: gpiochip0 line 17 is already claimed by this machine"], host.Hardware.Validate([new(new HostPin(0, 17), "button")], []));
    }

    [Fact]
    public void The_allow_list_syntax_round_trips_and_bad_items_are_named()
    {
        HostAccessPolicy policy = HostAccessPolicy.Parse("gpiochip0:2-27,0:30, 1:4, i2c-1, i2c-3:0x48");

        Assert.Equal("gpiochip0:2-27;30, gpiochip1:4, i2c-1, i2c-3:0x48", policy.ToString());
        Assert.Equal("any existing line and bus", new HostAccessPolicy().ToString());
        var error = Assert.Throws<FormatException>(() => HostAccessPolicy.Parse("gpiochip0:2-x"));
        Assert.Equal("host access policy item \"gpiochip0:2-x\": \"x\" is not a number", error.Message);
    }

    [Theory]
    [InlineData("gpiochip0:17", 0, 17)]
    [InlineData("1:4", 1, 4)]
    [InlineData("22", 0, 22)]
    public void Host_pins_parse_from_the_usual_spellings(string text, int chip, int line)
    {
        Assert.True(HostPin.TryParse(text, out HostPin pin));
        Assert.Equal(new HostPin(chip, line), pin);
        Assert.False(HostPin.TryParse("gpiochip0:-1", out _));
    }
}
