using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using FraudEdge.Bench;
using FraudEdge.Bench.Ipc;
using FraudEdge.Bench.Memory;

// `ipc` first: the IPC round-trip benchmark (Ipc/IpcBenchmark.cs, bench/README.md), not BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ipc") return IpcBenchmark.Run(args[1..]);
// `ipc-gc`: the service's allocations per Status window, rounds with and without a garbage collection (Ipc/AllocationAfterGc.cs).
if (args.Length > 0 && args[0] == "ipc-gc") return AllocationAfterGc.Run(args[1..]);
// `memory` and `soak`: the service's resident memory per profile, and its trend under hours of traffic (Memory/).
if (args.Length > 0 && args[0] == "memory") return MemoryTable.Run(args[1..]);
if (args.Length > 0 && args[0] == "soak") return SoakTest.Run(args[1..]);
// `crypto`: managed SHA-256/ECDSA against .NET's in thread CPU time (CryptoCpuTime.cs), not BenchmarkDotNet.
if (args.Length > 0 && args[0] == "crypto") return CryptoCpuTime.Run();
// `audit`: one audit append's latency, preallocated segments vs growing files vs group commit (AuditAppendLatency.cs).
if (args.Length > 0 && args[0] == "audit") return AuditAppendLatency.Run(args[1..]);

// dotnet run -c Release --project bench/FraudEdge.Bench -- --filter '*' [--model DIR --key PEM] [--profile NAME|PATH] [BenchmarkDotNet options]
// --model/--key/--profile are ours (see BenchSettings); everything else goes to BenchmarkDotNet
// (--job short, --filter, --exporters …). They travel to BenchmarkDotNet's child processes as environment variables.
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string? variable = args[i] switch
    {
        "--model" => BenchSettings.ModelVariable,
        "--key" => BenchSettings.KeyVariable,
        "--profile" => BenchSettings.ProfileVariable,
        _ => null,
    };
    if (variable is null) { rest.Add(args[i]); continue; }
    if (i + 1 >= args.Length) { Console.Error.WriteLine($"{args[i]} needs a value"); return 2; }
    string value = args[++i];
    Environment.SetEnvironmentVariable(variable, variable == BenchSettings.ProfileVariable && !File.Exists(value) ? value : Path.GetFullPath(value));
}
// Resolve defaults once here so the log says exactly what ran, and every child process agrees.
Environment.SetEnvironmentVariable(BenchSettings.ModelVariable, BenchSettings.ModelDirectory);
Environment.SetEnvironmentVariable(BenchSettings.KeyVariable, BenchSettings.KeyFile);
Environment.SetEnvironmentVariable(BenchSettings.ProfileVariable, BenchSettings.ProfileName);
Console.WriteLine($"// model: {BenchSettings.ModelDirectory}");
Console.WriteLine($"// key:   {BenchSettings.KeyFile}");
Console.WriteLine($"// profile: {BenchSettings.ProfileName}");

// Without --job, a bounded default: one launch, 5 warm-up and 15 measured iterations per benchmark, so the
// whole suite takes minutes on a shared 2-core machine. --job short (3 + 3) is quicker still.
// Artifacts (reports, logs) go under bench/ (git-ignored), not into whatever folder the command ran from.
IConfig config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(BenchSettings.RepoRoot(), "bench", "BenchmarkDotNet.Artifacts"));
if (!rest.Contains("--job") && !rest.Contains("-j"))
    config = config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(15).WithId("FraudEdge").AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(DecisionBenchmarks).Assembly).Run([.. rest], config);
return 0;
