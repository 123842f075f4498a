using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using Spectre.Console;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge replay AUDIT_DIR [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--rules-only]
/// [--restarts keep|empty] [--max-mismatches N] [--tolerance EPS] [--threads N] [--json]`: verifies the log, rebuilds the history from
/// its records in order and recomputes every decision with the given bundle. Exit 0 every decision recorded under that
/// bundle reproduced bit-exactly (or, with --tolerance, with identical verdict, risk score, source and reasons and a
/// probability within EPS), 1 a mismatch (or a broken log), 2 usage (docs/audit-log.md, "Replay").
/// </summary>
internal static class ReplayCommand
{
    public const int Reproduced = 0;
    public const int MismatchFound = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var directory = new Argument<string?>("AUDIT_DIR") { Description = "the audit folder (audit-NNNNNNNN.log segments)", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model") { Description = "model bundle folder to replay with (default: the shipped bundle)" };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key the bundle may be signed with; repeatable (default for a --model folder: the TEST key, with a note)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var profile = new Option<string?>("--profile") { Description = "hardware profile name or file of the recording device (default entry-a53): history capacities and thresholds must match" };
        var rulesOnly = new Option<bool>("--rules-only") { Description = "replay with the rules only (no model)" };
        var restarts = new Option<string?>("--restarts") { Description = "history at an engine restart in the log: keep (the device restored its snapshot; default) or empty" };
        // A string, parsed here: a bad number is a usage error (exit 2), not the parser's exit 1.
        var max = new Option<string?>("--max-mismatches") { Description = "mismatches listed (all are counted; default 100)" };
        var tolerance = new Option<string?>("--tolerance")
        {
            Description = "absolute probability difference allowed (e.g. a log recorded on arm64 replayed on x64); verdict, risk score, source and reasons must still be identical (default: bit-exact)",
        };
        var threads = new Option<string?>("--threads")
        {
            Description = "scoring threads, each with its own ONNX Runtime session; the history walk stays sequential and the report is the same (default: the processor count; 1: one decision at a time)",
        };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("replay", "recompute every decision of an audit log with a bundle and compare bit-exactly (or within --tolerance); exit 0 reproduced, 1 mismatch, 2 usage")
        {
            directory, model, keys, profile, rulesOnly, restarts, max, tolerance, threads, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? dir = parse.GetValue(directory);
            if (string.IsNullOrEmpty(dir)) return Usage("AUDIT_DIR is required");
            if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            string[] keyFiles = parse.GetValue(keys) ?? [];
            if (parse.GetResult(keys) is not null && keyFiles.Length == 0) return Usage("--trusted-key needs a PEM file");
            string? modelDir = parse.GetValue(model);
            bool rules = parse.GetValue(rulesOnly);
            if (rules && modelDir is not null) return Usage("--rules-only and --model exclude each other");
            if (modelDir is not null && !Directory.Exists(modelDir)) return Usage($"model folder '{modelDir}' does not exist");
            int maxMismatches = 100;
            if (!CliNumbers.TryInt(parse.GetValue(max), "--max-mismatches", 0, int.MaxValue, ref maxMismatches, out string error)) return Usage(error);
            string? toleranceText = parse.GetValue(tolerance);
            double tolerated = 0;
            if (!CliNumbers.TryNonNegative(toleranceText, "--tolerance", ref tolerated, out error, "an absolute probability difference (e.g. 1e-6)"))
                return Usage(error);
            double? eps = toleranceText is null ? null : tolerated;
            int scoringThreads = Environment.ProcessorCount;
            if (!CliNumbers.TryInt(parse.GetValue(threads), "--threads", 1, 256, ref scoringThreads, out error)) return Usage(error);
            string restartMode = parse.GetValue(restarts) ?? "keep";
            if (restartMode is not ("keep" or "empty")) return Usage($"--restarts is keep or empty, not '{restartMode}'");
            bool keep = restartMode == "keep";

            if (!CliProfiles.TryResolve(parse.GetValue(profile), out HardwareProfile hardware, out string profileError)) return Usage(profileError);

            TrustedKeys? trusted;
            try
            {
                trusted = CliKeys.Resolve(keyFiles, modelDir, rules);
            }
            catch (BundleException e)
            {
                return Usage(e.Message);
            }
            using (trusted)
            {
                var options = new AuditReplayOptions
                {
                    Profile = hardware, ModelDirectory = modelDir, RulesOnly = rules, TrustedKeys = trusted, MaxMismatches = maxMismatches,
                    KeepHistoryAcrossRestarts = keep, Tolerance = eps, Threads = scoringThreads,
                };
                bool asJson = parse.GetValue(json);
                ReplayReport report;
                try
                {
                    if (asJson || Console.IsOutputRedirected) report = AuditReplayer.Replay(dir, options);
                    else
                    {
                        report = null!;
                        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                        {
                            var task = ctx.AddTask("Replaying", maxValue: 1.0);
                            report = AuditReplayer.Replay(dir, options, p => task.Value = p);
                        });
                    }
                }
                catch (BundleException e)
                {
                    return Usage($"the bundle was refused: {e.Code}: {e.Message}");
                }
                if (asJson) WriteJson(report);
                else WriteText(report);
                return report.Reproduced ? Reproduced : MismatchFound;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge replay: {message}");
        Console.Error.WriteLine("usage: fraudedge replay AUDIT_DIR [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--rules-only] [--restarts keep|empty] [--max-mismatches N] [--tolerance EPS] [--threads N] [--json]");
        return UsageError;
    }

    private static string Bits(uint bits) => $"0x{bits:x8}";

    private static string Describe(in ReplayAnswer a) => string.Create(CultureInfo.InvariantCulture,
        $"{(a.Rejection != 0 ? $"rejected {a.Rejection}" : a.Verdict.ToString())} score {a.RiskScore} {a.Source} p={a.Probability:R} ({Bits(a.ProbabilityBits)}) logit {Bits(a.LogitBits)} reasons 0x{(ulong)a.Reasons:x}");

    private static void WriteText(ReplayReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"replay of {r.Directory}");
        if (r.Problem is { } p)
        {
            Console.WriteLine(string.Create(inv, $"NOT REPLAYED: the log is broken: {p.Kind} in {p.SegmentFile} at offset {p.Offset}, record {p.RecordNumber}"));
            Console.WriteLine($"  {p.Message}");
            return;
        }
        Console.WriteLine(string.Create(inv, $"  with {r.Model} ({r.ModelSha256}), profile {r.Profile}"));
        if (!r.StartsAtGenesis)
            Console.WriteLine("  note: the log does not start at record 1 (rotation); the history before it is unknown, so early decisions may differ");
        foreach (ReplayModelInForce m in r.Models)
            Console.WriteLine(string.Create(inv,
                $"  model in force from record {m.Record} ({m.Change}): {(m.Sha256 == new string('0', 64) ? $"rules only{(m.Refusal is null ? "" : $" (bundle refused: {m.Refusal})")}" : $"{m.Name} {m.Version} {m.Sha256}")}{(m.IsReplayingBundle ? "  [this bundle]" : "")}"));
        Console.WriteLine(string.Create(inv,
            $"  {r.Records} records: {r.Decisions} decisions replayed ({r.Rejected} rejected events), {r.OutcomesApplied} outcomes applied, {r.OutcomesRefused} refused outcomes skipped"));
        Console.WriteLine(string.Create(inv, $"  identical: {r.Identical} of {r.Decisions}; mismatches: {r.Mismatches}"));
        Console.WriteLine(string.Create(inv,
            $"  not bit-exact: {r.NotBitExact}{(r.Tolerance is double t ? $" ({r.WithinTolerance} within --tolerance {t:G})" : "")}; max |Δprobability| {r.MaxProbabilityDelta:G}, max |Δlogit| {r.MaxLogitDelta:G}"));
        Console.WriteLine(string.Create(inv, $"  recorded with this bundle: {r.SameModelDecisions} ({r.SameModelMismatches} mismatches); with another model: {r.DifferentModelDecisions} ({r.DifferentModelMismatches} mismatches)"));
        if (r.RecordedDeadlineMisses > 0)
            Console.WriteLine(string.Create(inv, $"  {r.RecordedDeadlineMisses} recorded deadline fallbacks (timing on the device, not reproducible) not counted as mismatches"));
        foreach (ReplayMismatch m in r.MismatchList)
        {
            Console.WriteLine(string.Create(inv, $"  MISMATCH record {m.Record} event {m.EventId}{(m.DifferentModel ? " (different model)" : "")}: {string.Join(", ", m.Fields)}"));
            Console.WriteLine($"    recorded: {Describe(m.Recorded)}");
            Console.WriteLine($"    replayed: {Describe(m.Replayed)}");
        }
        if (r.Mismatches > r.MismatchList.Count)
            Console.WriteLine(string.Create(inv, $"  ... {r.Mismatches - r.MismatchList.Count} more mismatches not listed (--max-mismatches)"));
        Console.WriteLine(r.Reproduced
            ? r.WithinTolerance > 0
                ? string.Create(inv, $"REPRODUCED WITHIN TOLERANCE: every decision recorded with this bundle has the same verdict, risk score, source and reasons; {r.WithinTolerance} probabilities differ by at most {r.MaxProbabilityDelta:G} (≤ {r.Tolerance:G})")
                : "REPRODUCED: every decision recorded with this bundle is bit-identical"
            : r.SameModelDecisions == 0 && r.Decisions > 0 ? "NOT REPRODUCED: no decision in this log was recorded with this bundle" : "NOT REPRODUCED");
        Console.WriteLine(string.Create(inv, $"  {r.Elapsed.TotalMilliseconds:F1} ms: {r.DecisionsPerSecond:F0} decisions/s"));
    }

    private static void WriteAnswer(Utf8JsonWriter w, string name, in ReplayAnswer a)
    {
        w.WriteStartObject(name);
        w.WriteString("rejection", a.Rejection.ToString());
        w.WriteString("verdict", a.Verdict.ToString());
        w.WriteNumber("risk_score", a.RiskScore);
        w.WriteString("source", a.Source.ToString());
        w.WriteNumber("reasons", (ulong)a.Reasons);
        w.WriteString("logit_bits", Bits(a.LogitBits));
        w.WriteString("probability_bits", Bits(a.ProbabilityBits));
        if (float.IsFinite(a.Probability)) w.WriteNumber("probability", a.Probability);
        else w.WriteNull("probability");
        w.WriteEndObject();
    }

    private static void WriteJson(ReplayReport r)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", r.Directory);
            w.WriteBoolean("reproduced", r.Reproduced);
            if (r.Problem is { } p)
            {
                AuditJson.WriteProblem(w, p);
            }
            else
            {
                w.WriteNull("problem");
            }
            w.WriteString("model", r.Model);
            w.WriteString("model_sha256", r.ModelSha256);
            w.WriteString("profile", r.Profile);
            w.WriteBoolean("starts_at_genesis", r.StartsAtGenesis);
            w.WriteNumber("records", r.Records);
            w.WriteNumber("decisions", r.Decisions);
            w.WriteNumber("identical", r.Identical);
            w.WriteNumber("mismatches", r.Mismatches);
            if (r.Tolerance is double t) w.WriteNumber("tolerance", t);
            else w.WriteNull("tolerance");
            w.WriteNumber("not_bit_exact", r.NotBitExact);
            w.WriteNumber("within_tolerance", r.WithinTolerance);
            w.WriteNumber("max_abs_probability_delta", r.MaxProbabilityDelta);
            w.WriteNumber("max_abs_logit_delta", r.MaxLogitDelta);
            w.WriteNumber("same_model_decisions", r.SameModelDecisions);
            w.WriteNumber("same_model_mismatches", r.SameModelMismatches);
            w.WriteNumber("different_model_decisions", r.DifferentModelDecisions);
            w.WriteNumber("different_model_mismatches", r.DifferentModelMismatches);
            w.WriteNumber("recorded_deadline_misses", r.RecordedDeadlineMisses);
            w.WriteNumber("rejected", r.Rejected);
            w.WriteNumber("outcomes_applied", r.OutcomesApplied);
            w.WriteNumber("outcomes_refused", r.OutcomesRefused);
            w.WriteNumber("engine_starts", r.EngineStarts);
            w.WriteStartArray("models");
            foreach (ReplayModelInForce m in r.Models)
            {
                w.WriteStartObject();
                w.WriteNumber("record", m.Record);
                w.WriteString("change", m.Change.ToString());
                w.WriteString("sha256", m.Sha256);
                w.WriteString("name", m.Name);
                w.WriteString("version", m.Version);
                if (m.Refusal is null) w.WriteNull("refusal");
                else w.WriteString("refusal", m.Refusal);
                w.WriteBoolean("is_replaying_bundle", m.IsReplayingBundle);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("mismatch_list");
            foreach (ReplayMismatch m in r.MismatchList)
            {
                w.WriteStartObject();
                w.WriteNumber("record", m.Record);
                w.WriteNumber("event_id", m.EventId);
                w.WriteBoolean("different_model", m.DifferentModel);
                w.WriteStartArray("fields");
                foreach (string f in m.Fields) w.WriteStringValue(f);
                w.WriteEndArray();
                WriteAnswer(w, "recorded", m.Recorded);
                WriteAnswer(w, "replayed", m.Replayed);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("elapsed_ms", Math.Round(r.Elapsed.TotalMilliseconds, 3));
            w.WriteNumber("decisions_per_s", Math.Round(r.DecisionsPerSecond, 1));
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
