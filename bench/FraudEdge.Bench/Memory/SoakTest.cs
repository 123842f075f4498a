using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudEdge.Bench.Ipc;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Bench.Memory;

/// <summary>
/// <c>FraudEdge.Bench soak</c>: fraudedged under continuous simulated traffic for a set time (default 10
/// minutes), VmRSS and RssAnon sampled every second. Passes when the peak stays within the memory budget and
/// anonymous memory does not trend upward: the least-squares line through the second half of the samples may
/// rise by less than 1 % of the budget over that half (the slope after the first tenth is reported too). The trend is judged on
/// RssAnon because that is what a leak grows; VmRSS also moves when code pages the service returned after
/// start-up (CodePages) fault back in as rarer paths run — bounded by the size of the mapped files — and its
/// slope is reported beside it. Run on demand (scripts/soak.sh), not in CI.
/// </summary>
internal static class SoakTest
{
    private const string Usage = "usage: FraudEdge.Bench soak [--aot PATH] [--profile NAME] [--minutes M] [--memory-budget-mib N] [--json FILE]";

    public static int Run(string[] args)
    {
        string? aot = null, json = null, budgetOverride = null;
        string profileName = "entry-a53";
        double minutes = 10;
        if (args.Length % 2 != 0) { Console.Error.WriteLine(Usage); return 2; }
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--aot": aot = Path.GetFullPath(args[i + 1]); break;
                case "--profile": profileName = args[i + 1]; break;
                case "--minutes": minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--memory-budget-mib": budgetOverride = args[i + 1]; break;
                case "--json": json = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }
        HardwareProfile profile = HardwareProfiles.Resolve(profileName);
        // The JIT build cannot fit entry-a53's budget (its runtime alone is ~50 MiB): it soaks against a larger one, and says so.
        budgetOverride ??= aot is null ? ServiceHost.JitMemoryBudgetMib : null;
        long budgetKib = (budgetOverride is null ? profile.MemoryBudgetMib : long.Parse(budgetOverride, CultureInfo.InvariantCulture)) * 1024;
        SimulatedLoad load = SimulatedLoad.Generate(profile.History.MaxTerminals);
        string work = Directory.CreateTempSubdirectory("fraudedge-soak-").FullName;
        try
        {
            using var service = ServiceHost.Start(Path.Combine(work, "fraudedged.sock"), profile.Name, aot, budgetOverride);
            Console.Error.WriteLine($"soak: fraudedged {(aot is null ? "JIT" : "NativeAOT")} pid {service.Pid}, profile {profile.Name}, budget {budgetKib / 1024} MiB, "
                                    + $"{minutes:0.#} min, {load.Terminals} simulated terminals");
            var samples = new List<(double Seconds, long RssKib, long AnonKib)>();
            var clock = Stopwatch.StartNew();
            double duration = minutes * 60;
            using var sampler = new Timer(_ =>
            {
                var (rss, _, anon) = ProcessMemoryMap.StatusWithAnonymous(service.Pid);
                lock (samples) samples.Add((clock.Elapsed.TotalSeconds, rss, anon));
            }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            long lastReport = 0;
            var (decisions, outcomes, errors) = load.Play(service.SocketPath, () =>
            {
                double t = clock.Elapsed.TotalSeconds;
                if ((long)(t / 60) > lastReport)
                {
                    lastReport = (long)(t / 60);
                    lock (samples) Console.Error.WriteLine($"  {lastReport} min: VmRSS {samples[^1].RssKib / 1024.0:0.0} MiB");
                }
                return t >= duration;
            });
            sampler.Dispose();
            var (_, hwm) = ProcessMemoryMap.Status(service.Pid);
            int exit = service.Stop();

            (double Seconds, long RssKib, long AnonKib)[] all;
            lock (samples) all = [.. samples];
            var window = all.Where(s => s.Seconds >= duration / 10).ToArray();
            double slopeKibPerSecond = Slope(window.Select(s => (s.Seconds, s.RssKib)).ToArray());
            double anonSlopeKibPerSecond = Slope(window.Select(s => (s.Seconds, s.AnonKib)).ToArray());
            double windowSeconds = window.Length > 1 ? window[^1].Seconds - window[0].Seconds : 0;
            double riseKib = anonSlopeKibPerSecond * windowSeconds;
            // The verdict is on the second half: a leak keeps rising to the end, while a one-time step (the allocator
            // or the GC settling at its working size; seen once ~4 minutes into a 10-minute run) does not.
            var lastHalf = all.Where(s => s.Seconds >= duration / 2).ToArray();
            double lastHalfSlope = Slope(lastHalf.Select(s => (s.Seconds, s.AnonKib)).ToArray());
            double lastHalfSeconds = lastHalf.Length > 1 ? lastHalf[^1].Seconds - lastHalf[0].Seconds : 0;
            double lastHalfRiseKib = lastHalfSlope * lastHalfSeconds;
            long maxRss = all.Max(s => s.RssKib);
            bool withinBudget = hwm <= budgetKib;
            bool flat = lastHalfRiseKib < budgetKib * 0.01;
            bool pass = withinBudget && flat && errors.Count == 0;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak {(pass ? "PASS" : "FAIL")}: {decisions} decisions, {outcomes} outcome notices, {errors.Values.Sum()} errors in {clock.Elapsed.TotalMinutes:0.0} min; "
                + $"VmRSS {window.FirstOrDefault().RssKib / 1024.0:0.0} → {all[^1].RssKib / 1024.0:0.0} MiB, max {maxRss / 1024.0:0.0} MiB, VmHWM {hwm / 1024.0:0.0} MiB "
                + $"(budget {budgetKib / 1024} MiB: {(withinBudget ? "within" : "OVER")}); after warm-up RssAnon {window.FirstOrDefault().AnonKib / 1024.0:0.0} → {all[^1].AnonKib / 1024.0:0.0} MiB, "
                + $"slope {anonSlopeKibPerSecond * 3600:0.0} KiB/hour = {riseKib:0} KiB over {windowSeconds / 60:0.0} min; second half {lastHalfSlope * 3600:0.0} KiB/hour = "
                + $"{lastHalfRiseKib:0} KiB over {lastHalfSeconds / 60:0.0} min ({(flat ? "flat" : "RISING")}: limit {budgetKib * 0.01:0} KiB); "
                + $"VmRSS slope {slopeKibPerSecond * 3600:0.0} KiB/hour (code pages faulting back in)"));
            if (json is not null)
            {
                var doc = new JsonObject
                {
                    ["machine"] = MachineInfo.Describe(), ["build"] = aot is null ? "jit" : "aot", ["profile"] = profile.Name, ["budget_kib"] = budgetKib,
                    ["minutes"] = minutes, ["decisions"] = decisions, ["outcomes"] = outcomes, ["errors"] = JsonSerializer.SerializeToNode(errors),
                    ["max_rss_kib"] = maxRss, ["hwm_kib"] = hwm, ["rss_slope_kib_per_hour"] = slopeKibPerSecond * 3600, ["anon_slope_kib_per_hour"] = anonSlopeKibPerSecond * 3600, ["anon_rise_kib"] = riseKib, ["anon_last_half_rise_kib"] = lastHalfRiseKib,
                    ["pass"] = pass, ["exit_code"] = exit,
                    ["samples"] = new JsonArray([.. all.Select(s => (JsonNode)new JsonArray(Math.Round(s.Seconds, 1), s.RssKib, s.AnonKib))]),
                };
                File.WriteAllText(json, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            }
            return pass ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Least-squares slope of a size (KiB) over time (s).</summary>
    private static double Slope((double Seconds, long RssKib)[] samples)
    {
        if (samples.Length < 2) return 0;
        double mx = samples.Average(s => s.Seconds), my = samples.Average(s => (double)s.RssKib);
        double num = samples.Sum(s => (s.Seconds - mx) * (s.RssKib - my)), den = samples.Sum(s => (s.Seconds - mx) * (s.Seconds - mx));
        return den == 0 ? 0 : num / den;
    }
}
