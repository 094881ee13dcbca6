using EdgeVisor.Emulation.Machines;
using EdgeVisor.Emulation.Memory;
using EdgeVisor.Emulation.Time;

namespace EdgeVisor.Emulation.CortexM;

/// <summary>An ARMv6-M / ARMv7-M / ARMv7E-M core. Skeleton: the execution engine replaces this file.</summary>
public sealed partial class CortexMCpu : ICpu
{
    public CortexMCpu(CortexMModel model, AddressSpace bus, VirtualClock clock, CortexMConfiguration configuration)
    {
        CpuModel = model;
        Bus = bus;
        Clock = clock;
        Configuration = configuration;
    }

    public AddressSpace Bus { get; }

    public VirtualClock Clock { get; }

    public CortexMConfiguration Configuration { get; }

    public string Model => CpuModel.Name;

    public ulong InstructionsRetired { get; private set; }

    public int? ExitCode { get; private set; }

    public void Reset() => throw new NotImplementedException();

    public StopReason Run(ulong untilCycle) => throw new NotImplementedException();

    public StopReason Step() => throw new NotImplementedException();

    public void RequestStop() => throw new NotImplementedException();

    public string DescribeState() => throw new NotImplementedException();
}
