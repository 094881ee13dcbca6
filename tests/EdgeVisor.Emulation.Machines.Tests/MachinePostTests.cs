using EdgeVisor.Emulation.Loading;

namespace EdgeVisor.Emulation.Machines.Tests;

/// <summary>Work posted from other threads (how host pin edges reach the models) runs on the machine's thread and wakes a sleeping core.</summary>
public class MachinePostTests
{
    private static Machine NewMachine()
    {
        string elf = TinyFirmware.Gpio0Pin3EdgeCounter("post-edges");
        var machine = new Machine(BoardCatalog.Get("mps2-an385"));
        machine.Load(ImageLoader.Load(elf, null));
        return machine;
    }

    [Fact]
    public void Without_external_inputs_a_core_asleep_with_nothing_scheduled_ends_the_run()
    {
        using var machine = NewMachine();
        var result = machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(20) });
        Assert.Equal(MachineOutcome.Asleep, result.Outcome);
    }

    [Fact]
    public async Task Posted_edges_run_on_the_machine_thread_and_wake_the_sleeping_core()
    {
        using var machine = NewMachine();
        machine.HasExternalInputs = true;
        var pin = machine.Pin("gpio0", 3);
        int machineThread = 0;
        var actionThreads = new List<int>();
        var run = Task.Run(() =>
        {
            machineThread = Environment.CurrentManagedThreadId;
            return machine.Run(new RunLimits { WallTimeout = TimeSpan.FromSeconds(20) });
        });

        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(50);
            machine.Post(() =>
            {
                actionThreads.Add(Environment.CurrentManagedThreadId);
                pin.Drive(true);
            });
            await Task.Delay(50);
            machine.Post(() => pin.Drive(false));
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (machine.Bus.Read32(0x20000000) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        machine.RequestStop();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(MachineOutcome.Stopped, result.Outcome);
        Assert.Equal(3u, machine.Bus.Read32(0x20000000));
        Assert.All(actionThreads, id => Assert.Equal(machineThread, id));
    }
}
