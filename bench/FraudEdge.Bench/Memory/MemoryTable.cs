using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudEdge.Bench.Ipc;
using FraudEdge.Client;
using FraudEdge.Core.Profiles;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Bench.Memory;

/// <summary>
/// <c>FraudEdge.Bench memory</c>: for each hardware profile, the real fraudedged's peak RSS (VmHWM) after
/// start-up and after a sustained load of simulated traffic, for the JIT build and (with --aot) the NativeAOT
/// build, with where the resident memory sits. The services run with a large --memory-budget-mib so that the
/// number measured is what they use, not where the guard would stop them; the "fits" column then compares it
/// with the profile's budget. scripts/memory-table.sh builds the AOT service and runs this.
/// </summary>
internal static class MemoryTable
{
    private const string Usage = "usage: FraudEdge.Bench memory [--aot PATH] [--seconds S] [--profiles a,b,c] [--json FILE]";

    public static int Run(string[] args)
    {
        string? aot = null, json = null;
        double seconds = 20;
        string[] profiles = ["entry-a53", "mid-a55", "store-x64"];
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--aot": aot = Path.GetFullPath(args[i + 1]); break;
                case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--profiles": profiles = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--json": json = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        if (args.Length % 2 != 0) { Console.Error.WriteLine(Usage); return 2; }
        if (aot is not null && !File.Exists(aot)) { Console.Error.WriteLine($"no AOT binary at {aot}"); return 2; }

        var rows = new JsonArray();
        foreach (string name in profiles)
        {
            HardwareProfile profile = HardwareProfiles.Resolve(name);
            SimulatedLoad load = SimulatedLoad.Generate(profile.History.MaxTerminals);
            foreach (string variant in aot is null ? ["jit"] : new[] { "jit", "aot" })
            {
                Console.Error.WriteLine($"== {name} {variant}: {load.Terminals} simulated terminals, {seconds:0} s of load");
                rows.Add(Measure(profile, variant, variant == "aot" ? aot : null, load, seconds));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Peak RSS (VmHWM) of fraudedged, x64, {MachineInfo.Describe()}; {seconds:0} s of simulated traffic per run");
        Console.WriteLine();
        Console.WriteLine("| profile | budget | build | after start-up | after load | fits | decisions | onnxruntime lib | .NET runtime + code | anonymous | other libs |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (JsonNode? row in rows)
        {
            var parts = row!["resident_by_part_kib"]!.AsObject();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row["profile"]} | {row["budget_mib"]} MiB | {row["build"]} | {Mib(row["hwm_after_startup_kib"])} | {Mib(row["hwm_after_load_kib"])} | "
                + $"{((bool)row["fits"]! ? "yes" : "**no**")} | {row["decisions"]} | {Mib(parts["onnxruntime library"])} | {Mib(parts[".NET runtime and service code"])} | "
                + $"{Mib(parts["anonymous (GC heap, malloc, stacks)"])} | {Mib(parts["C/C++ libraries and other files"])} |"));
        }
        if (json is not null)
        {
            var doc = new JsonObject
            {
                ["machine"] = MachineInfo.Describe(), ["utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["load_seconds"] = seconds, ["runs"] = rows,
            };
            File.WriteAllText(json, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.Error.WriteLine($"wrote {json}");
        }
        return 0;
    }

    private static JsonObject Measure(HardwareProfile profile, string variant, string? binary, SimulatedLoad load, double seconds)
    {
        string work = Directory.CreateTempSubdirectory("fraudedge-memory-").FullName;
        try
        {
            using var service = ServiceHost.Start(Path.Combine(work, "fraudedged.sock"), profile.Name, binary, memoryBudgetMib: "4096");
            Thread.Sleep(1000); // idle: whatever start-up touches, it has touched
            var (_, startupHwm) = ProcessMemoryMap.Status(service.Pid);
            var clock = Stopwatch.StartNew();
            var (decisions, outcomes, errors) = load.Play(service.SocketPath, () => clock.Elapsed.TotalSeconds >= seconds);
            var (rss, hwm) = ProcessMemoryMap.Status(service.Pid);
            var parts = ProcessMemoryMap.ResidentByPart(service.Pid);
            StatusResponse status;
            using (var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath })) status = client.GetStatus();
            int exit = service.Stop();
            var byPart = new JsonObject();
            foreach (var (part, kib) in parts) byPart[part] = kib;
            foreach (string part in new[] { "onnxruntime library", ".NET runtime and service code", "anonymous (GC heap, malloc, stacks)", "C/C++ libraries and other files" })
                byPart[part] ??= 0;
            return new JsonObject
            {
                ["profile"] = profile.Name, ["budget_mib"] = profile.MemoryBudgetMib, ["gc_heap_limit_mib"] = profile.GcHeapLimitMib, ["build"] = variant,
                ["hwm_after_startup_kib"] = startupHwm, ["hwm_after_load_kib"] = hwm, ["rss_after_load_kib"] = rss,
                ["fits"] = hwm <= profile.MemoryBudgetMib * 1024L,
                ["decisions"] = decisions, ["outcomes"] = outcomes, ["errors"] = JsonSerializer.SerializeToNode(errors),
                ["managed_heap_bytes"] = status.ManagedHeapBytes, ["gc_heap_limit_bytes"] = status.GcHeapLimitBytes,
                ["terminals"] = load.Terminals, ["resident_by_part_kib"] = byPart, ["exit_code"] = exit,
            };
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Mib(JsonNode? kib) => ((long)kib! / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
