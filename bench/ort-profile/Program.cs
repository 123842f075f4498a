using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

// ort-profile MODEL[@flags]... : batch-1 runs of several ONNX graphs, timed interleaved — REPS rounds of RUNS runs of
// each model in turn — so an A/B comparison sees the same machine load (this VM's speed drifts by ~1.7x with its
// neighbours). Prints the minimum and the median of the per-round medians. Session options are the engine's
// (OrtSessions: 1 intra-op thread, sequential, no spinning, graph optimisation ALL, arena off); per-model flags:
// @arena, @nopattern (memory pattern off), @extended / @basic (optimisation level), @daz (denormals as zero).
// Env: PARITY=parity.json (check each model's logits against a bundle's parity vectors first), PROF=prefix (ORT's
// profiler: per-kernel 10th-percentile durations; its own overhead is ~2-3 µs per kernel), OPT=prefix (write the
// graph as ORT optimised it), REPS (default 15), RUNS (default 400). Numerics probe and A/B tool, not the engine.
Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
int reps = int.Parse(Environment.GetEnvironmentVariable("REPS") ?? "15");
int runs = int.Parse(Environment.GetEnvironmentVariable("RUNS") ?? "400");
var models = args.Select(a => new Model(a)).ToList();
string parity = Environment.GetEnvironmentVariable("PARITY") ?? "";
if (parity != "")
{
    using var pd = JsonDocument.Parse(File.ReadAllText(parity));
    foreach (var m in models)
    {
        double maxd = 0; int n = 0;
        foreach (var v in pd.RootElement.GetProperty("vectors").EnumerateArray())
        {
            int j = 0; foreach (var tk in v.GetProperty("tokens").EnumerateArray()) m.Tokens[j++] = tk.GetInt64();
            m.Run();
            maxd = Math.Max(maxd, Math.Abs(m.Out[0] - v.GetProperty("logit").GetDouble())); n++;
        }
        Console.WriteLine($"{m.Name}: parity {n} vectors, max |logit - expected| {maxd:E3}");
    }
}
foreach (var m in models) for (int i = 0; i < 300; i++) m.Run();
var t = new double[runs];
for (int r = 0; r < reps; r++)
    foreach (var m in models)
    {
        for (int i = 0; i < runs; i++) { long a = Stopwatch.GetTimestamp(); m.Run(); t[i] = Stopwatch.GetElapsedTime(a).TotalMicroseconds; }
        Array.Sort(t); m.Medians.Add(t[runs / 2]);
    }
foreach (var m in models)
{
    m.Medians.Sort();
    Console.WriteLine($"{m.Name,-50} min-of-medians {m.Medians[0],7:F1} µs   median-of-medians {m.Medians[reps / 2],7:F1} µs");
}

if (Environment.GetEnvironmentVariable("PROF") is { Length: > 0 })
    foreach (var m in models) m.Report();

sealed class Model
{
    public readonly string Name; public readonly long[] Tokens; public readonly float[] Out = new float[1];
    public readonly List<double> Medians = new();
    readonly InferenceSession _s; readonly OrtIoBinding _b; readonly RunOptions _ro = new();
    public Model(string path)
    {
        Name = path;
        string[] flags = path.Contains('@') ? path[(path.IndexOf('@') + 1)..].Split(',') : [];
        if (path.Contains('@')) path = path[..path.IndexOf('@')];
        var so = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, EnableCpuMemArena = flags.Contains("arena") };
        if (flags.Contains("nopattern")) so.EnableMemoryPattern = false;
        if (flags.Contains("extended")) so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
        if (flags.Contains("basic")) so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC;
        if (flags.Contains("daz")) so.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (Environment.GetEnvironmentVariable("OPT") is { Length: > 0 } opt) so.OptimizedModelFilePath = opt + "." + Path.GetFileName(path);
        if (Environment.GetEnvironmentVariable("PROF") is { Length: > 0 } prof) { so.EnableProfiling = true; so.ProfileOutputPathPrefix = prof; }
        _s = new InferenceSession(path, so);
        var inMeta = _s.InputMetadata.First();
        int L = inMeta.Value.Dimensions[1];
        Tokens = new long[L]; for (int i = 0; i < L; i++) Tokens[i] = 2 + (i * 7) % 200;
        var input = OrtValue.CreateTensorValueFromMemory(Tokens, new long[] { 1, L });
        var output = OrtValue.CreateTensorValueFromMemory(Out, new long[] { 1, 1 });
        _b = _s.CreateIoBinding();
        _b.BindInput(inMeta.Key, input); _b.BindOutput(_s.OutputMetadata.First().Key, output);
    }
    public void Report()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_s.EndProfiling()));
        var byNode = new Dictionary<string, (string op, List<double> d)>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            if (e.GetProperty("cat").GetString() != "Node") continue;
            string name = e.GetProperty("name").GetString()!;
            if (!name.EndsWith("_kernel_time")) continue;
            string op = e.GetProperty("args").GetProperty("op_name").GetString()!;
            if (!byNode.TryGetValue(name, out var v)) byNode[name] = v = (op, new List<double>());
            v.d.Add(e.GetProperty("dur").GetDouble());
        }
        Console.WriteLine($"{Name}: per kernel, 10th percentile of its durations (µs, profiler resolution 1 µs)");
        double total = 0;
        foreach (var kv in byNode) { var l = kv.Value.d; l.Sort(); double p = l[l.Count / 10]; total += p; Console.WriteLine($"  {p,6:F1}  {kv.Value.op,-24} {kv.Key[..^12]}"); }
        Console.WriteLine($"  {total,6:F1}  total");
    }
    public void Run() => _s.RunWithBinding(_ro, _b);
}
