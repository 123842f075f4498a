using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge explain AUDIT_DIR --record N [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--json]`:
/// replays the log up to decision record N, re-evaluates its event and explains it: reason codes, and for a model
/// decision a ranked attribution per field group by occlusion through the real model. Exit 0 explained, 1 a broken
/// log or a record that is not a decision (or not in the log), 2 usage (docs/audit-log.md, "Explain").
/// </summary>
internal static class ExplainCommand
{
    public const int Explained = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var directory = new Argument<string?>("AUDIT_DIR") { Description = "the audit folder (audit-NNNNNNNN.log segments)", Arity = ArgumentArity.ZeroOrOne };
        // A string, parsed here: a bad number is a usage error (exit 2).
        var record = new Option<string?>("--record") { Description = "number of the decision record to explain (as `fraudedge replay` and `verify` name records)" };
        var model = new Option<string?>("--model") { Description = "model bundle folder to explain with (default: the shipped bundle)" };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key the bundle may be signed with; repeatable (default for a --model folder: the TEST key, with a note)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var profile = new Option<string?>("--profile") { Description = "hardware profile name or file of the recording device (default entry-a53)" };
        var json = new Option<bool>("--json") { Description = "print the explanation as JSON" };
        var command = new Command("explain", "why one audited decision came out as it did: reason codes and a ranked per-field-group attribution by occlusion; exit 0 ok, 1 broken log / not a decision, 2 usage")
        {
            directory, record, model, keys, profile, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? dir = parse.GetValue(directory);
            if (string.IsNullOrEmpty(dir)) return Usage("AUDIT_DIR is required");
            if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            string? recordText = parse.GetValue(record);
            if (recordText is null) return Usage("--record N is required");
            if (!ulong.TryParse(recordText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number) || number == 0)
                return Usage($"--record is a record number, 1 or more, not '{recordText}'");
            string[] keyFiles = parse.GetValue(keys) ?? [];
            if (parse.GetResult(keys) is not null && keyFiles.Length == 0) return Usage("--trusted-key needs a PEM file");
            string? modelDir = parse.GetValue(model);
            if (modelDir is not null && !Directory.Exists(modelDir)) return Usage($"model folder '{modelDir}' does not exist");

            if (!CliProfiles.TryResolve(parse.GetValue(profile), out HardwareProfile hardware, out string profileError)) return Usage(profileError);

            TrustedKeys? trusted;
            try
            {
                trusted = CliKeys.Resolve(keyFiles, modelDir, rulesOnly: false);
            }
            catch (BundleException e)
            {
                return Usage(e.Message);
            }
            using (trusted)
            {
                ExplainReport report;
                try
                {
                    report = DecisionExplainer.Explain(dir, number, new ExplainOptions { Profile = hardware, ModelDirectory = modelDir, TrustedKeys = trusted });
                }
                catch (BundleException e)
                {
                    return Usage($"the bundle was refused: {e.Code}: {e.Message}");
                }
                if (parse.GetValue(json)) WriteJson(report);
                else WriteText(report);
                if (report.Failure != ExplainFailure.None)
                {
                    Console.Error.WriteLine($"fraudedge explain: {report.FailureMessage}");
                    return Failed;
                }
                return Explained;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge explain: {message}");
        Console.Error.WriteLine("usage: fraudedge explain AUDIT_DIR --record N [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--json]");
        return UsageError;
    }

    private static string[] ReasonNames(ReasonCode codes)
    {
        string text = ReasonCodes.Format(codes);
        return text.Length == 0 ? [] : text.Split(',');
    }

    private static string Amount(in TransactionEvent e) => string.Create(CultureInfo.InvariantCulture, $"{e.AmountMinor} minor units (currency {e.CurrencyCode})");

    private static string Time(in TransactionEvent e)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampUtcMs);
        return utc.ToOffset(TimeSpan.FromMinutes(e.LocalOffsetMinutes)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    private static string P(double p) => double.IsFinite(p) ? p.ToString("0.000000", CultureInfo.InvariantCulture) : "-";

    private static void WriteText(ExplainReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"explain record {r.RecordNumber} of {r.Directory}"));
        if (r.Failure != ExplainFailure.None)
        {
            Console.WriteLine($"NOT EXPLAINED: {r.FailureMessage}");
            return;
        }
        Console.WriteLine($"  with {r.Model} ({r.ModelSha256}), profile {r.Profile}");
        TransactionEvent e = r.Event;
        Console.WriteLine(string.Create(inv, $"  event {e.EventId} terminal {e.TerminalId} at {Time(e)} ({e.Kind})"));
        Console.WriteLine(string.Create(inv, $"    card BIN {e.Bin} last four {e.LastFour:D4} ({e.Scheme} {e.CardType}); amount {Amount(e)}; MCC {e.MerchantCategoryCode:D4}"));
        Console.WriteLine($"    entry mode {e.EntryMode}, CVM {e.Cvm}, {(e.Attended ? "attended" : "unattended")}");
        AuditDecision d = r.Recorded;
        if (d.IsRejected)
            Console.WriteLine($"  recorded: REJECTED {d.Rejection}");
        else
            Console.WriteLine(string.Create(inv, $"  recorded: {d.Verdict.ToString().ToUpperInvariant()} risk score {d.RiskScore}, probability {P(d.Probability)}, source {d.Source}"));
        Console.WriteLine(r.Reproduced ? "  reproduced: the replay gives the recorded decision bit-exactly"
            : string.Create(inv, $"  NOT reproduced: the replay gives {r.Replayed.Verdict} risk score {r.Replayed.RiskScore}, probability {P(r.Replayed.Probability)}, source {r.Replayed.Source}"));
        foreach (string w in r.Warnings) Console.WriteLine($"  warning: {w}");
        string[] reasons = ReasonNames(d.Reasons);
        Console.WriteLine(reasons.Length == 0 ? "  reason codes: none" : $"  reason codes: {string.Join(", ", reasons)}");
        if (!r.OcclusionApplies)
        {
            Console.WriteLine($"  {r.OcclusionNote}");
            return;
        }
        Console.WriteLine(string.Create(inv, $"  attribution by occlusion (group's tokens → [UNK]; full probability {P(r.Probability)}, risk score {r.RiskScore}), ranked by |delta|:"));
        Console.WriteLine($"    {"group",-24} {"p without",10} {"delta p",10} {"score",6}  tokens");
        foreach (GroupAttribution a in r.Attributions)
        {
            string tokens = a.Tokens.Count == 0 ? "(none: empty)" : string.Join(" ", a.Tokens.Select(t => t.Name));
            Console.WriteLine(string.Create(inv, $"    {a.Group,-24} {P(a.ProbabilityWithout),10} {a.DeltaProbability,10:+0.000000;-0.000000;0.000000} {a.DeltaRiskScore,6:+0;-0;0}  {tokens}"));
        }
    }

    private static void WriteProbability(Utf8JsonWriter w, string name, double p)
    {
        if (double.IsFinite(p)) w.WriteNumber(name, p);
        else w.WriteNull(name);
    }

    private static void WriteJson(ExplainReport r)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", r.Directory);
            w.WriteNumber("record", r.RecordNumber);
            w.WriteBoolean("explained", r.Failure == ExplainFailure.None);
            if (r.Failure != ExplainFailure.None)
            {
                w.WriteString("failure", r.Failure.ToString());
                w.WriteString("message", r.FailureMessage);
                if (r.Problem is { } p)
                {
                    AuditJson.WriteProblem(w, p);
                }
                w.WriteEndObject();
                w.Flush();
                stream.WriteByte((byte)'\n');
                return;
            }
            w.WriteString("model", r.Model);
            w.WriteString("model_sha256", r.ModelSha256);
            w.WriteString("profile", r.Profile);
            TransactionEvent e = r.Event;
            w.WriteStartObject("event");
            w.WriteNumber("event_id", e.EventId);
            w.WriteString("terminal_id", e.TerminalId.ToString());
            w.WriteString("time", Time(e));
            w.WriteString("kind", e.Kind.ToString());
            w.WriteString("bin", e.Bin.ToString());
            w.WriteString("last_four", e.LastFour.ToString("D4", CultureInfo.InvariantCulture));
            w.WriteNumber("amount_minor", e.AmountMinor);
            w.WriteNumber("currency", e.CurrencyCode);
            w.WriteNumber("mcc", e.MerchantCategoryCode);
            w.WriteString("entry_mode", e.EntryMode.ToString());
            w.WriteString("cvm", e.Cvm.ToString());
            w.WriteEndObject();
            AuditDecision d = r.Recorded;
            w.WriteStartObject("recorded");
            w.WriteString("rejection", d.Rejection.ToString());
            w.WriteString("verdict", d.Verdict.ToString());
            w.WriteNumber("risk_score", d.RiskScore);
            WriteProbability(w, "probability", d.Probability);
            w.WriteString("source", d.Source.ToString());
            w.WriteStartArray("reasons");
            foreach (string n in ReasonNames(d.Reasons)) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("replayed");
            w.WriteString("rejection", r.Replayed.Rejection.Code.ToString());
            w.WriteString("verdict", r.Replayed.Verdict.ToString());
            w.WriteNumber("risk_score", r.Replayed.RiskScore);
            WriteProbability(w, "probability", r.Replayed.Probability);
            w.WriteString("source", r.Replayed.Source.ToString());
            w.WriteEndObject();
            w.WriteBoolean("reproduced", r.Reproduced);
            w.WriteBoolean("different_model", r.DifferentModel);
            w.WriteStartArray("warnings");
            foreach (string s in r.Warnings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteBoolean("occlusion_applies", r.OcclusionApplies);
            if (r.OcclusionNote is null) w.WriteNull("occlusion_note");
            else w.WriteString("occlusion_note", r.OcclusionNote);
            if (r.OcclusionApplies)
            {
                WriteProbability(w, "probability", r.Probability);
                w.WriteNumber("risk_score", r.RiskScore);
            }
            w.WriteStartArray("attribution");
            foreach (GroupAttribution a in r.Attributions)
            {
                w.WriteStartObject();
                w.WriteString("group", a.Group);
                w.WriteStartArray("tokens");
                foreach (ExplainToken t in a.Tokens)
                {
                    w.WriteStartObject();
                    w.WriteNumber("position", t.Position);
                    w.WriteNumber("id", t.Id);
                    w.WriteString("name", t.Name);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                WriteProbability(w, "probability_without", a.ProbabilityWithout);
                w.WriteNumber("risk_score_without", a.RiskScoreWithout);
                w.WriteString("verdict_without", a.VerdictWithout.ToString());
                WriteProbability(w, "delta_probability", a.DeltaProbability);
                w.WriteNumber("delta_risk_score", a.DeltaRiskScore);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
