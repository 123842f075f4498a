using System.Text.Json.Serialization;
using FraudEdge.Core.Policy;
using FraudEdge.Data;
using Spectre.Console;

namespace FraudEdge.Cli.Evaluation;

/// <summary>What the demo's shown day produced, for the console table or --json.</summary>
internal sealed class DemoReport
{
    private readonly List<double> _latencies = [];
    private readonly Dictionary<FraudTypology, (int Events, int Denied, int Reviewed)> _byTypology = [];
    private readonly long[] _reasonCounts = new long[64];
    public long Allowed, Reviewed, Denied, Rejected, Fallbacks;

    public string Model { get; set; } = "";
    public string Profile { get; set; } = "";
    public string Day { get; set; } = "";
    public int Terminals { get; set; }
    /// <summary>"ipc" (round trips to fraudedged) or "in-process" (engine calls).</summary>
    public string Transport { get; set; } = "";
    private readonly List<double> _coreLatencies = [];

    /// <summary>IPC mode: the time the service spent inside the decision core, next to the round trip.</summary>
    public void AddCoreTime(double micros) => _coreLatencies.Add(micros);

    public void Add(FraudTypology typology, in Decision d, double micros)
    {
        if (d.IsRejected) { Rejected++; return; }
        _latencies.Add(micros);
        if (d.IsFallback) Fallbacks++;
        switch (d.Verdict)
        {
            case Verdict.Allow: Allowed++; break;
            case Verdict.Review: Reviewed++; break;
            case Verdict.Deny: Denied++; break;
        }
        if (d.Verdict != Verdict.Allow)
        {
            for (int bit = 0; bit < 64; bit++) if (((ulong)d.Reasons & (1UL << bit)) != 0) _reasonCounts[bit]++;
        }
        var c = _byTypology.GetValueOrDefault(typology);
        _byTypology[typology] = (c.Events + 1, c.Denied + (d.Verdict == Verdict.Deny ? 1 : 0), c.Reviewed + (d.Verdict == Verdict.Review ? 1 : 0));
    }

    public double Percentile(double p) => Percentile(_latencies, p);

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    public DemoSummary ToJson()
    {
        var rows = new List<TypologyRow>();
        foreach (var (t, c) in _byTypology.OrderBy(kv => kv.Key))
            rows.Add(new TypologyRow(FraudTypologies.Name(t), c.Events, c.Denied, c.Reviewed));
        var reasons = new Dictionary<string, long>();
        for (int bit = 0; bit < 64; bit++)
            if (_reasonCounts[bit] > 0) reasons[ReasonCodes.Name((ReasonCode)(1UL << bit))] = _reasonCounts[bit];
        return new DemoSummary(Day, Model, Profile, Terminals, Allowed + Reviewed + Denied, Allowed, Reviewed, Denied, Rejected, Fallbacks,
            Math.Round(Percentile(0.5), 1), Math.Round(Percentile(0.99), 1), Transport,
            _coreLatencies.Count == 0 ? null : Math.Round(Percentile(_coreLatencies, 0.5), 1), rows,
            reasons.OrderByDescending(kv => kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    public void Render()
    {
        var s = ToJson();
        AnsiConsole.MarkupLine($"[bold]FraudEdge demo[/] — trading day {s.Day}, {s.Terminals} terminal{(s.Terminals == 1 ? "" : "s")} ({s.Transport}), model [green]{Markup.Escape(s.Model)}[/], profile {s.Profile}");
        string what = s.Transport == "ipc" ? "round trip" : "latency";
        var verdicts = new Table().AddColumns("decisions", "allow", "review", "deny", "rules fallback", "rejected", $"{what} p50", $"{what} p99");
        if (s.CoreP50Us is not null) verdicts.AddColumn("in-core p50");
        var cells = new List<string> { $"{s.Decisions}", $"{s.Allowed}", $"{s.Reviewed}", $"{s.Denied}", $"{s.Fallbacks}", $"{s.Rejected}",
            $"{s.LatencyP50Us:F1} µs", $"{s.LatencyP99Us:F1} µs" };
        if (s.CoreP50Us is { } core) cells.Add($"{core:F1} µs");
        verdicts.AddRow(cells.ToArray());
        AnsiConsole.Write(verdicts);
        var typologies = new Table().AddColumns("ground truth", "events", "denied", "reviewed", "caught (deny+review)");
        foreach (var r in s.Typologies)
        {
            string caught = r.Events == 0 ? "-" : $"{100.0 * (r.Denied + r.Reviewed) / r.Events:F0} %";
            if (r.Typology == "legitimate")
                typologies.AddRow("[grey]legitimate[/]", $"{r.Events}", $"[red]{r.Denied}[/] false declines", $"{r.Reviewed} false reviews",
                    $"{100.0 * r.Denied / Math.Max(1, r.Events):F2} % declined");
            else typologies.AddRow(r.Typology, $"{r.Events}", $"{r.Denied}", $"{r.Reviewed}", caught);
        }
        AnsiConsole.Write(typologies);
        if (s.Reasons.Count > 0)
            AnsiConsole.MarkupLine("Reasons behind reviews and denials: " + Markup.Escape(string.Join(", ", s.Reasons.Take(6).Select(kv => $"{kv.Key} {kv.Value}"))));
    }
}

internal sealed record TypologyRow(
    [property: JsonPropertyName("typology")] string Typology,
    [property: JsonPropertyName("events")] int Events,
    [property: JsonPropertyName("denied")] int Denied,
    [property: JsonPropertyName("reviewed")] int Reviewed);

internal sealed record DemoSummary(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("terminals")] int Terminals,
    [property: JsonPropertyName("decisions")] long Decisions,
    [property: JsonPropertyName("allowed")] long Allowed,
    [property: JsonPropertyName("reviewed")] long Reviewed,
    [property: JsonPropertyName("denied")] long Denied,
    [property: JsonPropertyName("rejected")] long Rejected,
    [property: JsonPropertyName("rules_fallback")] long Fallbacks,
    [property: JsonPropertyName("latency_p50_us")] double LatencyP50Us,
    [property: JsonPropertyName("latency_p99_us")] double LatencyP99Us,
    [property: JsonPropertyName("transport")] string Transport,
    [property: JsonPropertyName("core_p50_us")] double? CoreP50Us,
    [property: JsonPropertyName("typologies")] List<TypologyRow> Typologies,
    [property: JsonPropertyName("reasons_on_review_or_deny")] Dictionary<string, long> Reasons);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(DemoSummary))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
