using EdgeVisor.Emulation.Peripherals.Stm32.Pwr;

namespace EdgeVisor.Emulation.Peripherals.Tests.Stm32.SystemModels;

public class PwrTests
{
    [Fact]
    public void Vos_resets_to_scale_1_and_the_regulator_reports_ready()
    {
        var pwr = new Stm32Pwr("pwr");
        pwr.Reset();
        Assert.Equal((0x4000u, 0x4000u), (pwr.Read(0x00, 4), pwr.Read(0x04, 4)));
        pwr.Write(0x00, 0x4100, 4); // VOS, DBP
        Assert.True(pwr.BackupDomainWritable);
        pwr.Write(0x04, 1u << 9, 4); // BRE
        Assert.Equal((1u << 14) | (1u << 9) | (1u << 3), pwr.Read(0x04, 4));
    }
}
