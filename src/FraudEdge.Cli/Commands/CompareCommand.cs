using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Cli.Infrastructure;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge compare AUDIT_A AUDIT_B [--tolerance EPS] [--max-differences N] [--json]`: two audit logs of the same
/// traffic compared decision by decision (docs/audit-log.md, "Compare"). Exit 0 equivalent (same event sequence,
/// identical verdicts, risk scores, sources, reasons and rejections, probabilities within EPS; default 0 = bit-exact),
/// 1 a difference or a broken log, 2 usage.
/// </summary>
internal static class CompareCommand
{
    public const int Equivalent = 0;
    public const int Different = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var first = new Argument<string?>("AUDIT_A") { Description = "the first audit folder", Arity = ArgumentArity.ZeroOrOne };
        var second = new Argument<string?>("AUDIT_B") { Description = "the second audit folder", Arity = ArgumentArity.ZeroOrOne };
        var tolerance = new Option<string?>("--tolerance") { Description = "absolute probability difference allowed (default 0: bit-exact)" };
        var max = new Option<string?>("--max-differences") { Description = "differences listed (all are counted; default 20)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("compare", "compare two audit logs of the same traffic decision by decision; exit 0 equivalent, 1 different, 2 usage")
        {
            first, second, tolerance, max, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? a = parse.GetValue(first), b = parse.GetValue(second);
            if (string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b)) return Usage("AUDIT_A and AUDIT_B are required");
            foreach (string dir in (string[])[a, b])
                if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            double eps = 0;
            if (!CliNumbers.TryNonNegative(parse.GetValue(tolerance), "--tolerance", ref eps, out string error)) return Usage(error);
            int maxDifferences = 20;
            if (!CliNumbers.TryInt(parse.GetValue(max), "--max-differences", 0, int.MaxValue, ref maxDifferences, out error)) return Usage(error);
            CompareReport report = AuditComparer.Compare(a, b, eps, maxDifferences);
            if (parse.GetValue(json)) WriteJson(report);
            else WriteText(report);
            return report.Equivalent ? Equivalent : Different;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge compare: {message}");
        Console.Error.WriteLine("usage: fraudedge compare AUDIT_A AUDIT_B [--tolerance EPS] [--max-differences N] [--json]");
        return UsageError;
    }

    private static void WriteText(CompareReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"compare {r.DirectoryA}\n     vs {r.DirectoryB}");
        if (r.Problem is { } p)
        {
            Console.WriteLine(string.Create(inv, $"NOT COMPARED: {r.ProblemLog} is broken: {p.Kind} in {p.SegmentFile} at offset {p.Offset}, record {p.RecordNumber}"));
            return;
        }
        Console.WriteLine(string.Create(inv, $"  decisions: {r.DecisionsA} vs {r.DecisionsB}; outcome notices: {r.OutcomesA} vs {r.OutcomesB}"));
        Console.WriteLine($"  models: {string.Join(", ", r.ModelsA)} vs {string.Join(", ", r.ModelsB)}");
        Console.WriteLine(string.Create(inv,
            $"  {r.Compared} compared: same verdict {r.SameVerdict}, bit-identical {r.BitIdentical}, within tolerance {r.Tolerance:G} {r.WithinTolerance}, different {r.Differences}; event order differences {r.EventOrderDifferences}"));
        Console.WriteLine(string.Create(inv, $"  max |Δprobability| {r.MaxProbabilityDelta:G}, max |Δlogit| {r.MaxLogitDelta:G}"));
        foreach (CompareDifference d in r.DifferenceList)
            Console.WriteLine(string.Create(inv,
                $"  DIFFERENT decision {d.Index} (event {d.EventIdA} / {d.EventIdB}): {string.Join(", ", d.Fields)}: {d.A.Verdict} {d.A.RiskScore} p={d.A.Probability:R} vs {d.B.Verdict} {d.B.RiskScore} p={d.B.Probability:R}"));
        Console.WriteLine(r.Equivalent ? "EQUIVALENT" : "DIFFERENT");
    }

    private static void WriteAnswer(Utf8JsonWriter w, string name, in ReplayAnswer a)
    {
        w.WriteStartObject(name);
        w.WriteString("rejection", a.Rejection.ToString());
        w.WriteString("verdict", a.Verdict.ToString());
        w.WriteNumber("risk_score", a.RiskScore);
        w.WriteString("source", a.Source.ToString());
        w.WriteNumber("reasons", (ulong)a.Reasons);
        w.WriteString("probability_bits", $"0x{a.ProbabilityBits:x8}");
        w.WriteString("logit_bits", $"0x{a.LogitBits:x8}");
        w.WriteEndObject();
    }

    private static void WriteJson(CompareReport r)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("a", r.DirectoryA);
            w.WriteString("b", r.DirectoryB);
            w.WriteBoolean("equivalent", r.Equivalent);
            if (r.Problem is { } p)
            {
                w.WriteString("problem_log", r.ProblemLog);
                AuditJson.WriteProblem(w, p);
            }
            else
            {
                w.WriteNull("problem");
            }
            w.WriteNumber("decisions_a", r.DecisionsA);
            w.WriteNumber("decisions_b", r.DecisionsB);
            w.WriteNumber("outcomes_a", r.OutcomesA);
            w.WriteNumber("outcomes_b", r.OutcomesB);
            w.WriteNumber("compared", r.Compared);
            w.WriteNumber("event_order_differences", r.EventOrderDifferences);
            w.WriteNumber("same_verdict", r.SameVerdict);
            w.WriteNumber("bit_identical", r.BitIdentical);
            w.WriteNumber("tolerance", r.Tolerance);
            w.WriteNumber("within_tolerance", r.WithinTolerance);
            w.WriteNumber("different", r.Differences);
            w.WriteNumber("max_abs_probability_delta", r.MaxProbabilityDelta);
            w.WriteNumber("max_abs_logit_delta", r.MaxLogitDelta);
            w.WriteStartArray("models_a");
            foreach (string m in r.ModelsA) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteStartArray("models_b");
            foreach (string m in r.ModelsB) w.WriteStringValue(m);
            w.WriteEndArray();
            w.WriteStartArray("difference_list");
            foreach (CompareDifference d in r.DifferenceList)
            {
                w.WriteStartObject();
                w.WriteNumber("index", d.Index);
                w.WriteNumber("event_id_a", d.EventIdA);
                w.WriteNumber("event_id_b", d.EventIdB);
                w.WriteStartArray("fields");
                foreach (string f in d.Fields) w.WriteStringValue(f);
                w.WriteEndArray();
                WriteAnswer(w, "a", d.A);
                WriteAnswer(w, "b", d.B);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
