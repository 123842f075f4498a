using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using FraudEdge.ComputeFloor;

// dotnet run -c Release --project bench/compute-floor [-- --model DIR] [--seconds S] [--repeats N] [--mflops X]
// The compute floor of one decision = the model's MFLOP / this core's fp32 GFLOP/s · 1000 µs.
var inv = CultureInfo.InvariantCulture;
string? modelDir = null;
double seconds = 0.3, mflopsOverride = double.NaN;
int repeats = 7;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--model": modelDir = args[i + 1]; break;
        case "--seconds": seconds = double.Parse(args[i + 1], inv); break;
        case "--repeats": repeats = int.Parse(args[i + 1], inv); break;
        case "--mflops": mflopsOverride = double.Parse(args[i + 1], inv); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
modelDir ??= Environment.GetEnvironmentVariable("FE_BENCH_MODEL") is { Length: > 0 } env ? env : DefaultModel();
modelDir = Path.GetFullPath(modelDir);

Console.WriteLine($"cpu:        {CpuModel()} ({Environment.ProcessorCount} logical cores visible; 1 thread used)");
Console.WriteLine($"runtime:    {RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}; Vector<float> = {Vector<float>.Count} lanes; " +
    $"FMA {(Fma.IsSupported ? "yes" : "no")}, AVX2 {(Avx2.IsSupported ? "yes" : "no")}, AVX-512F {(Avx512F.IsSupported ? "yes" : "no")}");

double peak = FlopRate.FmaPeakGflops(seconds, repeats, out double peakBest);
double dot = FlopRate.DotGflops(seconds, repeats, out double dotBest);
Console.WriteLine(string.Create(inv, $"fp32 FMA peak (12 register chains):   median {peak:F1} GFLOP/s (best {peakBest:F1}) over {repeats} × {seconds:F1} s"));
Console.WriteLine(string.Create(inv, $"fp32 dot product (L1-resident arrays): median {dot:F1} GFLOP/s (best {dotBest:F1})"));

// The model's FLOPs: the manifest's figure when the trainer wrote one, and our own count of the graph.
using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelDir, "manifest.json")));
JsonElement root = manifest.RootElement;
int seqLen = root.GetProperty("seq_len").GetInt32();
double manifestMflops = root.TryGetProperty("student", out JsonElement student) && student.TryGetProperty("mflops_per_decision", out JsonElement mf)
    ? mf.GetDouble() : 0;
var counted = OnnxFlops.Count(File.ReadAllBytes(Path.Combine(modelDir, "model.onnx")), seqLen);
Console.WriteLine($"model:      {root.GetProperty("name").GetString()} {root.GetProperty("version").GetString()} " +
    $"({(root.TryGetProperty("precision", out JsonElement p) ? p.GetString() : "?")}), {modelDir}");
foreach (string line in counted.Lines) Console.WriteLine($"            {line}");
string bounded = (counted.UpperBounded > 0 ? $" ({counted.UpperBounded} upper-bounded with rows = seq_len)" : "")
    + (counted.Uncounted > 0 ? $" ({counted.Uncounted} NOT counted: shapes unknown)" : "");
Console.WriteLine(string.Create(inv, $"graph count: {counted.Flops / 1e6:G6} MFLOP per decision over {counted.MatMuls} MatMul/Gemm nodes{bounded}"));
Console.WriteLine(string.Create(inv, $"manifest:   student.mflops_per_decision = {manifestMflops}"));

double mflops = !double.IsNaN(mflopsOverride) ? mflopsOverride : manifestMflops > 0 ? manifestMflops : counted.Flops / 1e6;
string source = !double.IsNaN(mflopsOverride) ? "--mflops" : manifestMflops > 0 ? "manifest" : "graph count";
Console.WriteLine(string.Create(inv, $"compute floor ({mflops:G6} MFLOP from {source}): {mflops / peak * 1000:G4} µs at the FMA peak, {mflops / dot * 1000:G4} µs at the dot-product rate"));
return 0;

static string DefaultModel()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (!File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) continue;
        string shipped = Path.Combine(dir.FullName, "models", "fraudedge-slm");
        return File.Exists(Path.Combine(shipped, "manifest.json")) ? shipped
            : Path.Combine(dir.FullName, "tests", "FraudEdge.Core.Tests", "Fixtures", "bundle");
    }
    throw new InvalidOperationException("run inside the FraudEdge repository or pass --model DIR");
}

static string CpuModel()
{
    try
    {
        foreach (string line in File.ReadLines("/proc/cpuinfo"))
            if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
    }
    catch (IOException) { }
    return RuntimeInformation.ProcessArchitecture.ToString();
}
