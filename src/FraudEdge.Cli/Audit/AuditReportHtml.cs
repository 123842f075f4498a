using System.Globalization;
using System.Net;
using System.Text;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Policy;

namespace FraudEdge.Cli.Audit;

/// <summary>
/// Renders <see cref="AuditReportData"/> as one self-contained HTML file: inline CSS and inline SVG, no scripts,
/// no external resources. Every string that came from the log is HTML-encoded. No card data is shown.
/// </summary>
internal static class AuditReportHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:2em auto;max-width:64em;color:#222;line-height:1.4}
        h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em}
        .ok{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}.muted{color:#666}
        """;

    public static string Render(AuditReportData d)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>FraudEdge audit report</title><style>")
          .Append(Css).Append("</style></head><body>\n");
        sb.Append("<h1>FraudEdge audit report</h1>\n");
        sb.Append(Inv, $"<p>Log <code>{E(d.Verify.Directory)}</code>, generated {d.GeneratedUtc:yyyy-MM-dd HH:mm:ss} UTC by <code>fraudedge report</code>.</p>\n");

        Chain(sb, d);
        Models(sb, d);
        Days(sb, d);
        Scores(sb, d);
        Reasons(sb, d);
        Replay(sb, d);
        Labels(sb, d);
        sb.Append("<p class=\"muted\">No card numbers are stored in the log; none are shown here.</p>\n</body></html>\n");
        return sb.ToString();
    }

    private static void Chain(StringBuilder sb, AuditReportData d)
    {
        AuditVerifyReport v = d.Verify;
        sb.Append("<h2>Chain status</h2>\n");
        if (v.Problem is { } p)
        {
            sb.Append(Inv, $"<p>Chain status: <span class=\"bad\">broken</span>: {E(p.Kind.ToString())} in <code>{E(p.SegmentFile)}</code> at offset {p.Offset}, record {p.RecordNumber}.</p>\n")
              .Append(Inv, $"<p>{E(p.Message)}</p>\n<p>The figures below cover the {d.RecordsRead} records read before the problem.</p>\n");
        }
        else
        {
            sb.Append("<p>Chain status: <span class=\"ok\">intact</span> (every CRC, record number, hash link and checkpoint checked).</p>\n");
        }
        sb.Append("<table>\n");
        Row(sb, "segments", v.Segments == 0 ? "0" : string.Create(Inv, $"{v.Segments} (audit-{v.FirstSegment:D8} .. audit-{v.LastSegment:D8})"));
        Row(sb, "records", string.Create(Inv, $"{v.Records} (records {v.FirstRecord} .. {v.LastRecord})"));
        Row(sb, "decisions / outcomes / model loads", string.Create(Inv, $"{v.Decisions} / {v.Outcomes} / {v.ModelLoads}"));
        Row(sb, "checkpoints", string.Create(Inv, $"{v.Checkpoints} ({v.SignedCheckpoints} signed, {v.Checkpoints - v.SignedCheckpoints} unsigned)"));
        Row(sb, "records after the last checkpoint", v.RecordsAfterLastCheckpoint.ToString(Inv));
        Row(sb, "starts at genesis", v.StartsAtGenesis ? "yes" : v.StartGap is { } g ? $"no: rotation deleted {g}" : "no");
        Row(sb, "gaps (rotation)", v.Gaps.Count == 0 ? "none" : string.Join("; ", v.Gaps.Select(x => x.ToString())));
        if (v.InterruptedDeletion) Row(sb, "interrupted deletion", "a Gap record announces segments still on disk");
        sb.Append("</table>\n");
    }

    private static void Models(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Models in force over time</h2>\n");
        if (d.Models.Count == 0) { sb.Append("<p>No model-loaded record in this log.</p>\n"); return; }
        sb.Append("<table>\n<tr><th>record</th><th>written (UTC)</th><th>change</th><th>name</th><th>version</th><th>manifest SHA-256</th><th>signing key</th><th>refusal</th></tr>\n");
        foreach (AuditReportModel m in d.Models)
        {
            sb.Append(Inv, $"<tr><td class=\"n\">{m.Record}</td><td>{Time(m.WrittenUtcMs)}</td><td>{E(m.Change.ToString())}</td>")
              .Append(Inv, $"<td>{E(m.Sha256.Trim('0').Length == 0 ? "rules only" : m.Name)}</td><td>{E(m.Version)}</td><td><code>{E(m.Sha256)}</code></td>")
              .Append(Inv, $"<td><code>{E(m.SigningKeyId)}</code></td><td>{E(m.Refusal ?? "")}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static void Days(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Verdicts per day</h2>\n");
        sb.Append("<p class=\"muted\">By the UTC date of the event's timestamp.</p>\n");
        if (d.Days.Count == 0) { sb.Append("<p>No decision in this log.</p>\n"); return; }
        AuditReportSvg.Series[] series = [new("allow", "#4caf50"), new("review", "#ffb300"), new("deny", "#e53935"), new("rejected", "#9e9e9e")];
        sb.Append(AuditReportSvg.StackedBars("verdicts per day", [.. d.Days.Select(x => x.Day.ToString("yyyy-MM-dd", Inv))], series,
            [.. d.Days.Select(x => new[] { x.Allow, x.Review, x.Deny, x.Rejected })])).Append('\n');
        sb.Append("<table>\n<tr><th>day (UTC)</th><th class=\"n\">allow</th><th class=\"n\">review</th><th class=\"n\">deny</th><th class=\"n\">rejected</th><th class=\"n\">total</th></tr>\n");
        foreach (AuditReportDay day in d.Days)
            sb.Append(Inv, $"<tr><td>{day.Day:yyyy-MM-dd}</td><td class=\"n\">{day.Allow}</td><td class=\"n\">{day.Review}</td><td class=\"n\">{day.Deny}</td><td class=\"n\">{day.Rejected}</td><td class=\"n\">{day.Total}</td></tr>\n");
        sb.Append("</table>\n");
        if (d.InvalidTimestamps > 0)
            sb.Append(Inv, $"<p>{d.InvalidTimestamps} decisions carry a timestamp outside the calendar and are not in any day.</p>\n");
    }

    private static void Scores(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Risk score distribution</h2>\n");
        var labels = new string[AuditReportBuilder.BucketCount];
        for (int k = 0; k < labels.Length; k++) labels[k] = string.Create(Inv, $"{k * 10 + 1}-{Math.Min(99, k * 10 + 10)}");
        sb.Append(AuditReportSvg.Bars("risk score histogram", labels, d.ScoreBuckets, "#1e88e5")).Append('\n');
        sb.Append("<table>\n<tr>");
        foreach (string l in labels) sb.Append(Inv, $"<th class=\"n\">{l}</th>");
        sb.Append("</tr>\n<tr>");
        foreach (long c in d.ScoreBuckets) sb.Append(Inv, $"<td class=\"n\">{c}</td>");
        sb.Append("</tr>\n</table>\n");
        if (d.ScoresOutOfRange > 0) sb.Append(Inv, $"<p>{d.ScoresOutOfRange} decided events scored outside 1-99.</p>\n");
    }

    private static void Reasons(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Top reasons on review and deny</h2>\n");
        if (d.TopReasons.Count == 0) { sb.Append("<p>No review or deny verdict carries a reason code.</p>\n"); return; }
        sb.Append("<table>\n<tr><th>reason</th><th class=\"n\">decisions</th><th class=\"n\">share of review + deny</th></tr>\n");
        foreach ((ReasonCode code, long count) in d.TopReasons)
            sb.Append(Inv, $"<tr><td><code>{E(ReasonCodes.Name(code))}</code></td><td class=\"n\">{count}</td><td class=\"n\">{Percent(count, d.FlaggedDecisions)}</td></tr>\n");
        sb.Append("</table>\n");
    }

    private static void Replay(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Replay agreement</h2>\n");
        if (d.Replay is not { } r) { sb.Append(Inv, $"<p>{E(d.ReplayNote)}</p>\n"); return; }
        if (r.Problem is { } p) { sb.Append(Inv, $"<p class=\"bad\">not replayed: {E(p.ToString())}</p>\n"); return; }
        sb.Append(Inv, $"<p>Replayed with <code>{E(r.Model)}</code> (<code>{E(r.ModelSha256)}</code>), profile <code>{E(r.Profile)}</code>: ")
          .Append(r.Reproduced ? "<span class=\"ok\">reproduced</span>" : "<span class=\"bad\">not reproduced</span>").Append(".</p>\n");
        sb.Append("<table>\n");
        Row(sb, "replay agreement", string.Create(Inv, $"{Percent(r.Identical, r.Decisions)} ({r.Identical} of {r.Decisions} decisions identical)"));
        Row(sb, "mismatches", r.Mismatches.ToString(Inv));
        Row(sb, "recorded with this bundle", string.Create(Inv, $"{r.SameModelDecisions} ({r.SameModelMismatches} mismatches)"));
        Row(sb, "recorded with a different model", string.Create(Inv, $"{r.DifferentModelDecisions} ({r.DifferentModelMismatches} mismatches)"));
        Row(sb, "recorded deadline fallbacks (timing, not compared)", r.RecordedDeadlineMisses.ToString(Inv));
        Row(sb, "engine starts", r.EngineStarts.ToString(Inv));
        sb.Append("</table>\n");
        if (r.MismatchList.Count > 0)
        {
            sb.Append("<table>\n<tr><th>record</th><th>event id</th><th>different model</th><th>fields</th></tr>\n");
            foreach (ReplayMismatch m in r.MismatchList.Take(20))
                sb.Append(Inv, $"<tr><td class=\"n\">{m.Record}</td><td class=\"n\">{m.EventId}</td><td>{(m.DifferentModel ? "yes" : "no")}</td><td>{E(string.Join(", ", m.Fields))}</td></tr>\n");
            sb.Append("</table>\n");
        }
    }

    private static void Labels(StringBuilder sb, AuditReportData d)
    {
        sb.Append("<h2>Precision and recall against labels</h2>\n");
        if (d.LabelScores.Count == 0)
        {
            sb.Append(Inv, $"<p>No labels in this log ({d.FraudNotices} accepted fraud-reported / chargeback notices, none naming a decision in it).</p>\n");
            return;
        }
        sb.Append(Inv, $"<p>{d.LabelledFrauds} decisions labelled fraud by accepted fraud-reported / chargeback notices (matched by event id and terminal id); ")
          .Append(Inv, $"{d.UnmatchedFraudNotices} notices name no decision in the log. Unlabelled decisions count as genuine.</p>\n");
        sb.Append("<table>\n<tr><th>flagged when</th><th class=\"n\">flagged</th><th class=\"n\">labelled fraud among them</th><th class=\"n\">precision</th><th class=\"n\">recall</th></tr>\n");
        foreach (AuditReportLabelScore s in d.LabelScores)
            sb.Append(Inv, $"<tr><td>{E(s.Rule)}</td><td class=\"n\">{s.Flagged}</td><td class=\"n\">{s.TruePositives}</td><td class=\"n\">{Percent(s.TruePositives, s.Flagged)}</td><td class=\"n\">{Percent(s.TruePositives, s.Positives)}</td></tr>\n");
        sb.Append("</table>\n");
    }

    private static void Row(StringBuilder sb, string name, string value) =>
        sb.Append(Inv, $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");

    private static string Percent(long part, long whole) =>
        whole <= 0 ? "n/a"
        : part != whole && Math.Round(100.0 * part / whole, 2) >= 100 ? "99.99 %" // never print 100 % for less than all
        : string.Create(Inv, $"{100.0 * part / whole:0.##} %");

    private static string Time(long utcMs) =>
        utcMs is >= 0 and <= 253402300799999L ? DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToString("yyyy-MM-dd HH:mm:ss", Inv) : utcMs.ToString(Inv);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
