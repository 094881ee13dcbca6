using BenchmarkDotNet.Running;
using EdgeVisor.Bench.Agents;
using EdgeVisor.Bench.Containers;
using EdgeVisor.Bench.Latency;
using EdgeVisor.Bench.Micro;
using EdgeVisor.Bench.Runner;

// bench runner [--iterations N] [--repeat K]   whole programs side by side with qemu-system-arm
// bench linux [--iterations N] [--repeat K]    AArch64 Linux programs side by side with qemu-aarch64
// bench micro [BenchmarkDotNet args]          interpreter micro benchmarks
// bench latency [--edges N] [--interval-us U] [--realtime]   GPIO passthrough latency (host edge -> guest ISR -> host pin)
// bench agents [--agents N] [--broker mosquitto|embedded] [--repeat] [--timeout S]   N agents in one process: publish -> running latency
// bench agent-memory [--agent PATH] [--idle S] [--samples N] [--env NAME=VALUE ...]   RSS of one real agent process idle with one firmware workload
// bench containers [--runs N] [--containers M] [--runtime PATH] [--health S] [--idle S] [--skip-agent]   container start: agent vs runc by hand, per-container overhead
string mode = args.Length > 0 ? args[0] : "runner";
return mode switch
{
    "runner" => WholeProgramRunner.Run(args[1..]),
    "linux" => UserModeRunner.Run(args[1..]),
    "micro" => RunMicro(args[1..]),
    "latency" => PassthroughLatencyRunner.Run(args[1..]),
    "agents" => await AgentsBenchmark.RunAsync(args[1..]),
    "agent-memory" => await AgentMemoryBenchmark.RunAsync(args[1..]),
    "containers" => await ContainersBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(InterpreterBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: EdgeVisor.Bench runner [--iterations N] [--repeat K] | linux [--iterations N] [--repeat K] | micro [BenchmarkDotNet options] | latency [--edges N] [--interval-us U] [--realtime] | agents [--agents N] [--broker mosquitto|embedded] [--repeat] [--timeout S] | agent-memory [--agent PATH] [--idle S] [--samples N] [--env NAME=VALUE ...] | containers [--runs N] [--containers M] [--runtime PATH] [--health S] [--idle S] [--skip-agent]");
    return 2;
}
