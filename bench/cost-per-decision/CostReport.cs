using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FraudEdge.CostPerDecision;

/// <summary>
/// Turns the script's callgrind runs into instructions per decision. Each repetition is one process: N1 warm-up
/// decisions (history tables fill; ORT's first runs are behind us), then N2 − N1 measured ones, on the same
/// deterministic stream. callgrind writes its counters out when the driver's marker is entered (--dump-before), at
/// decision N1 and at N2: part 1 holds everything up to N1 — runtime start, bundle verification, ORT session
/// creation, warm-up — so I(N1) = part 1 and I(N2) = part 1 + part 2, and (I(N2) − I(N1)) / (N2 − N1) is part 2
/// divided by the window. I is the inclusive Ir of FraudEngine.Evaluate (exactly the decision call); the whole
/// process over the same window is reported next to it (it also holds the driver's loop and background threads:
/// the deadline watchdog's polls, the GC's). Writes a table to stdout and the JSON file.
/// </summary>
public static class CostReport
{
    private const string Evaluate = "FraudEdge_Core_FraudEdge_Core_FraudEngine__Evaluate";
    private const string ScorerRun = "FraudEdge_Core_FraudEdge_Core_Scoring_OnnxScorer__Run";
    private const string OrtRun = "Microsoft_ML_OnnxRuntime_Microsoft_ML_OnnxRuntime_InferenceSession__RunWithBinding";
    private const string Describe = "FraudEdge_Core_FraudEdge_Core_History_TerminalHistory__Describe";
    private const string Observe = "FraudEdge_Core_FraudEdge_Core_History_TerminalHistory__Observe";
    private const string Tokenize = "FraudEdge_Core_FraudEdge_Core_Tokenization_Tokenizer__Tokenize";
    private const string Reasons = "FraudEdge_Core_FraudEdge_Core_Policy_ReasonCodes__FromTokens";
    private const string Validate = "FraudEdge_Core_FraudEdge_Core_Events_EventValidator__Validate";
    private const string Audit = "FraudEdge_Core_FraudEdge_Core_Audit_AuditLog__AppendDecision";

    private static readonly string[] HostFlagsOfInterest = ["sse4_2", "avx", "fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "amx_tile", "amx_int8"];

    public static int Run(ReadOnlySpan<string> args)
    {
        var a = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2) a[args[i]] = args[i + 1];
        foreach (string required in new[] { "--work", "--runs", "--n1", "--n2", "--info", "--json" })
        {
            if (!a.ContainsKey(required))
            {
                Console.Error.WriteLine($"report needs {required}");
                return 2;
            }
        }
        var inv = CultureInfo.InvariantCulture;
        string work = a["--work"];
        int runs = int.Parse(a["--runs"], inv), n1 = int.Parse(a["--n1"], inv), n2 = int.Parse(a["--n2"], inv);
        long dn = n2 - n1;
        using JsonDocument info = JsonDocument.Parse(File.ReadAllBytes(a["--info"]));
        double mflops = info.RootElement.GetProperty("mflops_per_decision_graph").GetDouble();

        var perRun = new List<double>();
        var wholePerRun = new List<double>();
        var startup = new List<long>();
        var checksums = new List<string>();
        Dictionary<string, string>? firstOut = null;
        CallgrindProfile? window = null;
        for (int r = 1; r <= runs; r++)
        {
            var upToN1 = CallgrindProfile.Read(Path.Combine(work, $"run{r}.callgrind.1"));
            var p = CallgrindProfile.Read(Path.Combine(work, $"run{r}.callgrind.2"));
            var o = ReadOut(Path.Combine(work, $"run{r}.out"));
            long e = p.Inclusive(Evaluate) ?? throw new InvalidDataException($"{Evaluate} not in the profile: renamed or inlined? Update CostReport.");
            perRun.Add(e / (double)dn);
            wholePerRun.Add(p.Total / (double)dn);
            startup.Add(upToN1.Total);
            checksums.Add(o["checksum"]);
            if (r == 1) { window = p; firstOut = o; }
        }
        double ipd = perRun.Average();
        double spread = runs > 1 ? (perRun.Max() - perRun.Min()) / ipd * 100 : double.NaN;
        double whole = wholePerRun.Average();
        bool sameChecksums = checksums.All(c => c == checksums[0]);

        // Where one decision's instructions go (run 1's window): inclusive costs of the phases' methods, self costs by object.
        double Per(string name) => (window!.Inclusive(name) ?? 0) / (double)dn;
        double evaluate = Per(Evaluate), scorer = Per(ScorerRun), ort = Per(OrtRun);
        double history = Per(Describe) + Per(Observe), tokenizer = Per(Tokenize) + Per(Reasons), validation = Per(Validate), audit = Per(Audit);
        var phases = new List<(string Name, double Ir)>
        {
            ("ONNX Runtime run (InferenceSession.RunWithBinding: interop, libonnxruntime, the libc/libm it calls)", ort),
            ("scorer around it (OnnxScorer.Run: token copy and range check, watchdog arm/disarm)", scorer - ort),
            ("history (TerminalHistory.Describe + Observe)", history),
            ("tokenizer (Tokenizer.Tokenize + ReasonCodes.FromTokens)", tokenizer),
            ("validation (EventValidator.Validate)", validation),
            ("audit log (AuditLog.AppendDecision, user space only: the fsync is kernel time)", audit),
            ("rest of Evaluate (lock, policy and calibration, counters, Stopwatch)", evaluate - scorer - history - tokenizer - validation - audit),
        };
        var objects = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (ob, ir) in window!.SelfByObject) objects[ObjectName(ob)] = objects.GetValueOrDefault(ObjectName(ob)) + ir / (double)dn;
        var topObjects = objects.Where(o => o.Value >= 0.5).OrderByDescending(o => o.Value).ToList();
        var topFunctions = window.Functions.Where(f => f.Value.Self > 0).OrderByDescending(f => f.Value.Self).Take(12)
            .Select(f => (Name: f.Key.Name, Object: ObjectName(f.Key.Object), Ir: f.Value.Self / (double)dn)).ToList();

        // The host's CPU (what ORT would use natively) and what the measured process saw through valgrind.
        (string hostModel, string[] hostFlags) = HostCpu();
        Dictionary<string, string> measured = firstOut!;
        string guestBrand = measured.GetValueOrDefault("cpuid_brand", "?");
        string guestFlags = measured.GetValueOrDefault("cpuid_flags", "?");
        bool auditOn = measured.GetValueOrDefault("audit_log", "off") == "on";

        var table = new StringBuilder();
        table.AppendLine(string.Create(inv, $"instructions per decision: {ipd:N0}   (callgrind, inclusive Ir of FraudEngine.Evaluate, (I(N2)-I(N1))/(N2-N1), N1={n1}, N2={n2})"));
        table.AppendLine(runs > 1
            ? string.Create(inv, $"  repetitions: {string.Join(", ", perRun.Select(v => v.ToString("N0", inv)))}   spread {spread:F4} %   verdict/logit checksums identical: {(sameChecksums ? "yes" : "NO")}")
            : "  repetitions: 1 (no spread: --runs 2 to measure it)");
        table.AppendLine(string.Create(inv, $"  I(N1), everything up to the window (start-up, session creation, warm-up): {startup[0]:N0}"));
        table.AppendLine(string.Create(inv, $"  whole process over the window: {whole:N0} per decision (+ driver loop and background threads)"));
        table.AppendLine(string.Create(inv, $"MFLOP per decision (ONNX graph, OnnxFlops): {mflops:G6}   instructions per FLOP: {ipd / (mflops * 1e6):F4}   (ORT run alone: {ort / (mflops * 1e6):F4})"));
        table.AppendLine();
        table.AppendLine("where one decision's instructions go (inclusive, repetition 1)     instructions      share");
        foreach (var (name, ir) in phases) table.AppendLine(string.Create(inv, $"  {Trim(name, 66),-66} {ir,12:N0} {ir / evaluate * 100,9:F2} %"));
        table.AppendLine(string.Create(inv, $"  {"FraudEngine.Evaluate",-66} {evaluate,12:N0} {100.0,9:F2} %"));
        table.AppendLine();
        table.AppendLine("by object (self, whole process over the window, repetition 1)");
        foreach (var (name, ir) in topObjects) table.AppendLine(string.Create(inv, $"  {name,-40} {ir,12:N0} {ir / whole * 100,9:F2} %"));
        table.AppendLine();
        table.AppendLine("top functions (self, whole process over the window, repetition 1)");
        foreach (var (name, ob, ir) in topFunctions) table.AppendLine(string.Create(inv, $"  {Trim(name, 60),-60} {ob,-22} {ir,10:N0}"));
        table.AppendLine();
        table.AppendLine($"model: {info.RootElement.GetProperty("model_name").GetString()} {info.RootElement.GetProperty("model_version").GetString()} " +
            $"({info.RootElement.GetProperty("model_precision").GetString()}), manifest sha256 {info.RootElement.GetProperty("bundle_manifest_sha256").GetString()}, " +
            $"tokenizer {info.RootElement.GetProperty("tokenizer_version").GetString()}, profile {info.RootElement.GetProperty("profile").GetString()}, audit log {(auditOn ? "ON (fsync per record per the profile)" : "off")}");
        table.AppendLine($"host cpu: {hostModel}; ISA flags: {string.Join(' ', hostFlags)}");
        table.AppendLine($"measured cpu (valgrind's synthetic CPUID, what ORT picked kernels for): {guestBrand}; {guestFlags.Replace(',', ' ')}");
        Console.Write(table.ToString());

        string jsonPath = a["--json"];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
        using (var stream = File.Create(jsonPath))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("instructions_per_decision", Math.Round(ipd));
            json.WriteString("method", "callgrind: (I(N2) - I(N1)) / (N2 - N1), I = inclusive Ir of FraudEngine.Evaluate, counters dumped at decisions N1 and N2 of one process (--dump-before on the driver's window marker); NativeAOT driver bench/cost-per-decision; ORT_DISABLE_TELEMETRY=1");
            json.WriteString("counter", a.GetValueOrDefault("--valgrind", "valgrind"));
            json.WriteNumber("n1", n1);
            json.WriteNumber("n2", n2);
            json.WriteNumber("runs", runs);
            json.WriteNumber("instructions_up_to_n1", startup[0]);
            json.WriteStartArray("instructions_per_decision_runs");
            foreach (double v in perRun) json.WriteNumberValue(Math.Round(v, 1));
            json.WriteEndArray();
            if (runs > 1) json.WriteNumber("spread_percent", Math.Round(spread, 5)); else json.WriteNull("spread_percent");
            json.WriteBoolean("checksums_identical", sameChecksums);
            json.WriteNumber("whole_process_instructions_per_decision", Math.Round(whole));
            json.WriteNumber("deadline_us_during_measurement", int.Parse(measured.GetValueOrDefault("deadline_us", "0"), inv));
            json.WriteNumber("mflops_per_decision", mflops);
            json.WriteNumber("mflops_per_decision_manifest", info.RootElement.GetProperty("mflops_per_decision_manifest").GetDouble());
            json.WriteNumber("instructions_per_flop", Math.Round(ipd / (mflops * 1e6), 5));
            json.WriteNumber("ort_instructions_per_flop", Math.Round(ort / (mflops * 1e6), 5));
            json.WriteString("model", $"{info.RootElement.GetProperty("model_name").GetString()} {info.RootElement.GetProperty("model_version").GetString()}");
            json.WriteString("model_precision", info.RootElement.GetProperty("model_precision").GetString());
            json.WriteString("bundle_manifest_sha256", info.RootElement.GetProperty("bundle_manifest_sha256").GetString());
            json.WriteString("model_onnx_sha256", info.RootElement.GetProperty("model_onnx_sha256").GetString());
            json.WriteString("tokenizer_version", info.RootElement.GetProperty("tokenizer_version").GetString());
            json.WriteString("profile", info.RootElement.GetProperty("profile").GetString());
            json.WriteBoolean("audit_log", auditOn);
            json.WriteString("onnxruntime_version", info.RootElement.GetProperty("onnxruntime_version").GetString());
            json.WriteString("runtime", info.RootElement.GetProperty("runtime").GetString() + " NativeAOT");
            json.WriteString("commit", a.GetValueOrDefault("--commit", "unknown"));
            json.WriteBoolean("commit_dirty", a.GetValueOrDefault("--dirty", "false") == "true");
            json.WriteString("measured_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", inv));
            json.WriteStartObject("machine");
            json.WriteString("cpu_model", hostModel);
            json.WriteNumber("logical_cpus", Environment.ProcessorCount);
            json.WriteStartArray("host_isa_flags");
            foreach (string f in hostFlags) json.WriteStringValue(f);
            json.WriteEndArray();
            json.WriteString("measured_cpuid_brand", guestBrand);
            json.WriteString("measured_cpuid_flags", guestFlags);
            json.WriteString("measured_dotnet_isa", measured.GetValueOrDefault("dotnet_isa", "?"));
            json.WriteEndObject();
            json.WriteStartArray("split_phases");
            foreach (var (name, ir) in phases)
            {
                json.WriteStartObject();
                json.WriteString("phase", name);
                json.WriteNumber("instructions", Math.Round(ir));
                json.WriteNumber("percent", Math.Round(ir / evaluate * 100, 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("split_objects");
            foreach (var (name, ir) in topObjects)
            {
                json.WriteStartObject();
                json.WriteString("object", name);
                json.WriteNumber("instructions", Math.Round(ir));
                json.WriteNumber("percent", Math.Round(ir / whole * 100, 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("top_functions");
            foreach (var (name, ob, ir) in topFunctions)
            {
                json.WriteStartObject();
                json.WriteString("function", name);
                json.WriteString("object", ob);
                json.WriteNumber("instructions", Math.Round(ir));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (a.TryGetValue("--seconds", out string? seconds)) json.WriteNumber("script_seconds", double.Parse(seconds, inv));
            json.WriteEndObject();
        }
        return sameChecksums ? 0 : 4;
    }

    private static Dictionary<string, string> ReadOut(string path)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) d[line[..eq]] = line[(eq + 1)..];
        }
        return d;
    }

    /// <summary>NativeAOT's managed code sits in a section valgrind does not tie to the binary: it reports it as object "???".</summary>
    private static string ObjectName(string path) => path == "???" ? "managed code (NativeAOT; \"???\" to valgrind)" : Path.GetFileName(path);

    private static string Trim(string s, int width) => s.Length <= width ? s : s[..(width - 1)] + "…";

    private static (string Model, string[] Flags) HostCpu()
    {
        string model = "?";
        var flags = new List<string>();
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (model == "?" && line.StartsWith("model name", StringComparison.Ordinal)) model = line[(line.IndexOf(':') + 1)..].Trim();
                if (flags.Count == 0 && line.StartsWith("flags", StringComparison.Ordinal))
                {
                    var present = new HashSet<string>(line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
                    foreach (string f in HostFlagsOfInterest) if (present.Contains(f)) flags.Add(f);
                }
            }
        }
        catch (IOException) { }
        return (model, [.. flags]);
    }
}
