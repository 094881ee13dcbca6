using System.Collections.Concurrent;

namespace EdgeVisor.Hardware.Tests.Doubles;

/// <summary>Stands in for Machine.Post: work from other threads queues up until the test, as the machine thread, runs it.</summary>
internal sealed class MachineThread
{
    private readonly ConcurrentQueue<Action> _work = new();

    public int Pending => _work.Count;

    public void Post(Action work) => _work.Enqueue(work);

    /// <summary>Runs everything posted so far; returns how many items ran.</summary>
    public int RunPosted()
    {
        int count = 0;
        while (_work.TryDequeue(out Action? work))
        {
            work();
            count++;
        }

        return count;
    }
}
