using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using Spectre.Console;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge diff AUDIT_DIR --model A --model B [--trusted-key PEM ...] [--profile NAME|FILE] [--json] [--top N]`:
/// shadow comparison of two bundles on the history of an audit log — agreement matrix, verdict changes, risk
/// shift distribution, and what each would have caught and falsely declined where fraud labels arrived.
/// Exit 0 compared (differences are not failures), 1 broken log, 2 usage (docs/audit-log.md, "Diff").
/// </summary>
internal static class DiffCommand
{
    public const int Compared = 0;
    public const int BrokenLog = 1;
    public const int UsageError = 2;

    private static readonly string[] Verdicts = ["allow", "review", "deny"];

    public static Command Create()
    {
        var directory = new Argument<string?>("AUDIT_DIR") { Description = "the audit folder (audit-NNNNNNNN.log segments)", Arity = ArgumentArity.ZeroOrOne };
        var models = new Option<string[]>("--model")
        {
            Description = "bundle folder, or 'embedded' for the shipped bundle; given exactly twice (A, then B)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key a bundle folder may be signed with; repeatable (default: the TEST key, with a note)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var profile = new Option<string?>("--profile") { Description = "hardware profile name or file of the recording device (default entry-a53)" };
        var top = new Option<string?>("--top") { Description = "verdict changes listed, largest risk shift first (all are counted; default 20)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("diff", "shadow-compare two bundles on an audit log's history; exit 0 compared, 1 broken log, 2 usage")
        {
            directory, models, keys, profile, top, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? dir = parse.GetValue(directory);
            if (string.IsNullOrEmpty(dir)) return Usage("AUDIT_DIR is required");
            if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            string[] modelArgs = parse.GetValue(models) ?? [];
            if (modelArgs.Length != 2) return Usage($"--model is given exactly twice (A and B), not {modelArgs.Length} times");
            foreach (string m in modelArgs)
                if (m != "embedded" && !Directory.Exists(m)) return Usage($"model folder '{m}' does not exist");
            string[] keyFiles = parse.GetValue(keys) ?? [];
            if (parse.GetResult(keys) is not null && keyFiles.Length == 0) return Usage("--trusted-key needs a PEM file");
            int topN = 20;
            if (!CliNumbers.TryInt(parse.GetValue(top), "--top", 0, int.MaxValue, ref topN, out string topError)) return Usage(topError);

            if (!CliProfiles.TryResolve(parse.GetValue(profile), out HardwareProfile hardware, out string profileError)) return Usage(profileError);

            string? dirA = modelArgs[0] == "embedded" ? null : modelArgs[0];
            string? dirB = modelArgs[1] == "embedded" ? null : modelArgs[1];
            TrustedKeys? keysA = null, keysB = null;
            try
            {
                // --trusted-key applies to bundle folders; the embedded bundle keeps the engine's own embedded key.
                keysA = dirA is null ? null : CliKeys.Resolve(keyFiles, dirA, rulesOnly: false);
                keysB = dirB is null ? null : CliKeys.Resolve(keyFiles, dirB, rulesOnly: false);
            }
            catch (BundleException e)
            {
                keysA?.Dispose();
                return Usage(e.Message);
            }
            using (keysA)
            using (keysB)
            {
                var options = new AuditDiffOptions
                {
                    Profile = hardware, ModelA = new AuditDiffModel(dirA, keysA), ModelB = new AuditDiffModel(dirB, keysB), Top = topN,
                };
                bool asJson = parse.GetValue(json);
                AuditDiffReport report;
                try
                {
                    if (asJson || Console.IsOutputRedirected) report = AuditDiff.Compare(dir, options);
                    else
                    {
                        report = null!;
                        AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                        {
                            var task = ctx.AddTask("Comparing", maxValue: 1.0);
                            report = AuditDiff.Compare(dir, options, p => task.Value = p);
                        });
                    }
                }
                catch (BundleException e)
                {
                    return Usage($"a bundle was refused: {e.Code}: {e.Message}");
                }
                if (asJson) WriteJson(report);
                else WriteText(report);
                return report.Problem is null ? Compared : BrokenLog;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge diff: {message}");
        Console.Error.WriteLine("usage: fraudedge diff AUDIT_DIR --model A --model B [--trusted-key PEM ...] [--profile NAME|FILE] [--json] [--top N]");
        return UsageError;
    }

    private static string Name(Verdict v) => v switch { Verdict.Allow => "allow", Verdict.Review => "review", Verdict.Deny => "deny", _ => v.ToString() };

    private static string Ap(double ap) => double.IsNaN(ap) ? "n/a" : ap.ToString("F4", CultureInfo.InvariantCulture);

    private static void WriteText(AuditDiffReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"diff on {r.Directory}");
        if (r.Problem is { } p)
        {
            Console.WriteLine(string.Create(inv, $"NOT COMPARED: the log is broken: {p.Kind} in {p.SegmentFile} at offset {p.Offset}, record {p.RecordNumber}"));
            Console.WriteLine($"  {p.Message}");
            return;
        }
        AuditDiffSide a = r.A!, b = r.B!;
        Console.WriteLine($"  A: {a.Model} ({a.Source}, {a.Sha256})");
        Console.WriteLine($"  B: {b.Model} ({b.Source}, {b.Sha256})");
        Console.WriteLine($"  profile {r.Profile}");
        if (!r.StartsAtGenesis)
            Console.WriteLine("  note: the log does not start at record 1 (rotation); the history before it is unknown");
        Console.WriteLine(string.Create(inv,
            $"  {r.Records} records: {r.Decisions} decisions ({r.Compared} compared, {r.Rejected} rejected events), {r.OutcomesApplied} outcomes applied, {r.OutcomesRefused} refused outcomes skipped"));
        Console.WriteLine();
        Console.WriteLine("  agreement (rows A, columns B):");
        Console.WriteLine(string.Create(inv, $"    {"",-8}{"allow",10}{"review",10}{"deny",10}"));
        for (int i = 0; i < 3; i++)
            Console.WriteLine(string.Create(inv, $"    {Verdicts[i],-8}{r.Matrix[i, 0],10}{r.Matrix[i, 1],10}{r.Matrix[i, 2],10}"));
        Console.WriteLine(string.Create(inv, $"  agreement {r.AgreementPercent:F2} % ({r.Agreements} of {r.Compared}); {r.Changes} decisions would change"));
        if (r.TopChanges.Count > 0)
        {
            Console.WriteLine(string.Create(inv, $"  largest changes (of {r.Changes}, by |risk shift|):"));
            foreach (AuditDiffChange c in r.TopChanges)
                Console.WriteLine(string.Create(inv,
                    $"    record {c.Record} event {c.EventId}: {Name(c.VerdictA)} {c.RiskA} -> {Name(c.VerdictB)} {c.RiskB} ({c.Shift:+0;-0;0}){(c.Fraud ? "  [fraud]" : "")}"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(inv,
            $"  risk shift B-A: mean {r.ShiftMean:+0.00;-0.00;0.00}, p5 {r.ShiftP5}, p50 {r.ShiftP50}, p95 {r.ShiftP95}, min {r.ShiftMin}, max {r.ShiftMax}; {r.ScoreChanged} scores changed"));
        long widest = Math.Max(1, r.Histogram.Max(h => h.Count));
        foreach (AuditDiffBucket h in r.Histogram)
            Console.WriteLine(string.Create(inv, $"    {h.Label,10} {h.Count,8} {new string('#', (int)Math.Ceiling(30.0 * h.Count / widest))}"));
        Console.WriteLine();
        if (r.LabelledFrauds == 0)
            Console.WriteLine(string.Create(inv, $"  labels: no compared decision is labelled fraud ({r.FraudNotices} fraud notices in the log)"));
        else
            Console.WriteLine(string.Create(inv,
                $"  labels: {r.LabelledFrauds} decisions labelled fraud ({r.FraudNotices} fraud notices, {r.UnmatchedFraudNotices} naming no decision in the log)"));
        Console.WriteLine(string.Create(inv, $"    {"",-3}{"caught",8}{"missed",8}{"legit declined",16}{"allowed",9}{"reviewed",10}{"denied",8}{"AP",8}"));
        foreach ((string label, AuditDiffSide s) in new[] { ("A", a), ("B", b) })
            Console.WriteLine(string.Create(inv,
                $"    {label,-3}{s.FraudsCaught,8}{s.FraudsMissed,8}{s.LegitimateDeclined,16}{s.Allowed,9}{s.Reviewed,10}{s.Denied,8}{Ap(s.AveragePrecision),8}"));
        Console.WriteLine(string.Create(inv, $"  {r.Elapsed.TotalMilliseconds:F1} ms"));
    }

    private static void WriteSide(Utf8JsonWriter w, string name, AuditDiffSide s)
    {
        w.WriteStartObject(name);
        w.WriteString("model", s.Model);
        w.WriteString("sha256", s.Sha256);
        w.WriteString("source", s.Source);
        w.WriteNumber("allowed", s.Allowed);
        w.WriteNumber("reviewed", s.Reviewed);
        w.WriteNumber("denied", s.Denied);
        w.WriteNumber("frauds_caught", s.FraudsCaught);
        w.WriteNumber("frauds_missed", s.FraudsMissed);
        w.WriteNumber("legitimate_declined", s.LegitimateDeclined);
        if (double.IsNaN(s.AveragePrecision)) w.WriteNull("average_precision");
        else w.WriteNumber("average_precision", Math.Round(s.AveragePrecision, 6));
        w.WriteEndObject();
    }

    private static void WriteJson(AuditDiffReport r)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", r.Directory);
            if (r.Problem is { } p)
            {
                AuditJson.WriteProblem(w, p);
                w.WriteNumber("records", r.Records);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("problem");
                w.WriteString("profile", r.Profile);
                w.WriteBoolean("starts_at_genesis", r.StartsAtGenesis);
                WriteSide(w, "a", r.A!);
                WriteSide(w, "b", r.B!);
                w.WriteNumber("records", r.Records);
                w.WriteNumber("decisions", r.Decisions);
                w.WriteNumber("rejected", r.Rejected);
                w.WriteNumber("compared", r.Compared);
                w.WriteNumber("outcomes_applied", r.OutcomesApplied);
                w.WriteNumber("outcomes_refused", r.OutcomesRefused);
                w.WriteStartObject("matrix"); // rows: A's verdict, columns: B's verdict
                for (int i = 0; i < 3; i++)
                {
                    w.WriteStartObject(Verdicts[i]);
                    for (int j = 0; j < 3; j++) w.WriteNumber(Verdicts[j], r.Matrix[i, j]);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteNumber("agreements", r.Agreements);
                w.WriteNumber("agreement_percent", Math.Round(r.AgreementPercent, 4));
                w.WriteNumber("changes", r.Changes);
                w.WriteStartArray("top_changes");
                foreach (AuditDiffChange c in r.TopChanges)
                {
                    w.WriteStartObject();
                    w.WriteNumber("record", c.Record);
                    w.WriteNumber("event_id", c.EventId);
                    w.WriteString("a_verdict", Name(c.VerdictA));
                    w.WriteNumber("a_risk", c.RiskA);
                    w.WriteString("b_verdict", Name(c.VerdictB));
                    w.WriteNumber("b_risk", c.RiskB);
                    w.WriteNumber("shift", c.Shift);
                    w.WriteBoolean("fraud", c.Fraud);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("risk_shift");
                w.WriteNumber("mean", Math.Round(r.ShiftMean, 4));
                w.WriteNumber("p5", r.ShiftP5);
                w.WriteNumber("p50", r.ShiftP50);
                w.WriteNumber("p95", r.ShiftP95);
                w.WriteNumber("min", r.ShiftMin);
                w.WriteNumber("max", r.ShiftMax);
                w.WriteNumber("changed", r.ScoreChanged);
                w.WriteStartArray("histogram");
                foreach (AuditDiffBucket h in r.Histogram)
                {
                    w.WriteStartObject();
                    w.WriteNumber("from", h.From);
                    w.WriteNumber("to", h.To);
                    w.WriteNumber("count", h.Count);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("labels");
                w.WriteNumber("fraud_notices", r.FraudNotices);
                w.WriteNumber("labelled_frauds", r.LabelledFrauds);
                w.WriteNumber("unmatched_fraud_notices", r.UnmatchedFraudNotices);
                w.WriteEndObject();
                w.WriteNumber("elapsed_ms", Math.Round(r.Elapsed.TotalMilliseconds, 3));
                w.WriteEndObject();
            }
        }
        stream.WriteByte((byte)'\n');
    }
}
