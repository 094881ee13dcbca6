using EdgeVisor.Emulation.Machines.Testing;

namespace EdgeVisor.Emulation.Machines.Tests;

public class SmokeTests
{
    [Fact]
    public void Hello_prints_and_exits_zero()
    {
        using var session = FirmwareSession.Start("mps2-an385", FirmwareImages.Path("mps2-an385", "hello"));
        int code = session.WaitForExit(TimeSpan.FromSeconds(1));
        Assert.Equal("EdgeVisor sample firmware\nHello from mps2-an385\n", session.ConsoleText);
        Assert.Equal(0, code);
    }
}
