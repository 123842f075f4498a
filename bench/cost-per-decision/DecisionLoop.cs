using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using FraudEdge.Bench;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;

namespace FraudEdge.CostPerDecision;

/// <summary>
/// Start the engine on the bundle, then make warm-up + measured decisions over <see cref="TerminalDay"/> (the stream
/// DecisionBenchmarks uses: 8,192 events, each further pass shifted forward so no event is ever rejected), with a
/// marker call at both edges of the measured window for callgrind's --dump-before. Everything before the window —
/// runtime start, bundle verification, ORT session creation and its first run, the stream's generation, warm-up —
/// lands in the first part of the profile. The decisions' verdicts and logits are folded into a checksum, printed
/// with the counters: a run with a rejection, a rules fallback or a deadline miss did not measure the model path
/// and fails (exit 3).
/// </summary>
public static class DecisionLoop
{
    public static int Run(CostOptions options)
    {
        TerminalDay day = TerminalDay.Generate();
        HardwareProfile profile = HardwareProfiles.Resolve(options.Profile);
        profile.Scoring.DeadlineMicroseconds = options.DeadlineMicroseconds;

        using TrustedKeys keys = TrustedKeys.FromPemFiles([options.KeyFile]);
        using var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile,
            ModelDirectory = options.ModelDirectory,
            TrustedKeys = keys,
            Audit = options.AuditDirectory is string audit ? AuditLogOptions.FromProfile(audit, profile.Audit) : null,
        });
        if (engine.Model is null)
        {
            Console.Error.WriteLine($"the bundle in {options.ModelDirectory} was refused: {engine.ModelRefusal?.Message}");
            return 1;
        }

        ulong checksum = Decide(engine, day, options.Warmup, options.Decisions);

        // One "key=value" per line: the script keeps this next to the callgrind file and the report reads it.
        EngineStatus s = engine.Status();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"decisions={s.Decisions}"));
        Console.WriteLine(string.Create(inv, $"warmup={options.Warmup}"));
        Console.WriteLine(string.Create(inv, $"deadline_us={profile.Scoring.DeadlineMicroseconds}"));
        Console.WriteLine($"audit_log={(options.AuditDirectory is null ? "off" : "on")}");
        Console.WriteLine(string.Create(inv, $"verdicts=allow:{s.Allowed},review:{s.Reviewed},deny:{s.Denied}"));
        Console.WriteLine(string.Create(inv, $"rejected={s.Rejected}"));
        Console.WriteLine(string.Create(inv, $"fallbacks={s.Fallbacks}"));
        Console.WriteLine(string.Create(inv, $"deadline_misses={s.DeadlineMisses}"));
        Console.WriteLine(string.Create(inv, $"audit_records={s.AuditRecords}"));
        Console.WriteLine(string.Create(inv, $"checksum={checksum:x16}"));
        Console.WriteLine($"cpuid_brand={CpuFeatures.Brand()}");
        Console.WriteLine($"cpuid_flags={CpuFeatures.Flags()}");
        // NativeAOT's default instruction set leaves these false even on this AVX-512 host, so the managed part of the
        // count does not depend on the CPU (a JIT process would take AVX2/AVX-512 paths in the BCL).
        Console.WriteLine($"dotnet_isa=avx2:{Bit(Avx2.IsSupported)},fma:{Bit(Fma.IsSupported)},avx512f:{Bit(Avx512F.IsSupported)}");
        return s.Rejected == 0 && s.Fallbacks == 0 && s.DeadlineMisses == 0 && s.Decisions == options.Warmup + options.Decisions ? 0 : 3;
    }

    /// <summary>
    /// Warm-up decisions, <see cref="WindowMark"/>, measured decisions, <see cref="WindowMark"/>. The script runs
    /// callgrind with --dump-before on the marker, so the counters are written out at both edges and the middle part
    /// of the profile is exactly the measured decisions. Kept out of line so callgrind shows it as one function.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Decide(FraudEngine engine, TerminalDay day, int warmup, int measured)
    {
        // FNV-1a over each decision's verdict and logit bits: equal across runs of one build, or the run was not deterministic.
        ulong hash = 14695981039346656037UL;
        int next = 0;
        long lap = 0;
        for (int i = 0; i < warmup + measured; i++)
        {
            if (i == warmup) WindowMark(i);
            Decision d = engine.Evaluate(day.At(next, lap));
            if (++next == day.Events.Length) { next = 0; lap++; }
            hash = (hash ^ (ulong)d.Verdict) * 1099511628211UL;
            hash = (hash ^ BitConverter.SingleToUInt32Bits(d.Logit)) * 1099511628211UL;
        }
        WindowMark(warmup + measured);
        return hash;
    }

    private static int s_lastMark;

    /// <summary>
    /// The edge of the measured window: callgrind's --dump-before names this symbol
    /// (cost_per_decision_FraudEdge_CostPerDecision_DecisionLoop__WindowMark). It must stay a real call.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WindowMark(int decisionsSoFar) => Volatile.Write(ref s_lastMark, decisionsSoFar);

    private static char Bit(bool supported) => supported ? '1' : '0';
}
