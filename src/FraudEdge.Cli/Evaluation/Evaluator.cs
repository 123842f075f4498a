using System.Diagnostics;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Cli.Evaluation;

/// <summary>
/// Scores an event log through FraudEngine — the deployment path, not Python — and measures it against the
/// labels that arrived in the log. The whole log is replayed (earlier days warm each terminal's history, and
/// notices arrive when they arrived); only events inside [from, to) are scored into the metrics.
/// An event counts as fraud when a fraud report or chargeback for it ever arrived, as in the dataset's test split.
/// </summary>
internal sealed class Evaluator(HardwareProfile profile, string? modelDirectory, bool rulesOnly, TrustedKeys? trustedKeys)
{
    public EvaluationReport Run(string logPath, long fromMs, long toMs, Action<double>? progress = null)
    {
        var fraudEvents = FraudLabelledEvents(logPath);
        var scores = new List<double>();
        var labels = new List<bool>();
        var days = new List<int>();
        var cards = new List<long>();
        var latencies = new List<double>();
        var cardIndex = new Dictionary<CardToken, long>();
        var report = new EvaluationReport();
        var confusion = new long[4, 2];
        var typologies = new SortedDictionary<FraudTypology, TypologyRecall>();
        using var fleet = new TerminalFleet(profile, modelDirectory, rulesOnly, trustedKeys);
        using var reader = EventLogReader.Open(logPath);
        long totalBytes = new FileInfo(logPath).Length, n = 0;
        while (reader.Read(out EventLogRecord record))
        {
            if (progress is not null && (++n & 4095) == 0) progress((double)reader.RecordOffset / totalBytes);
            if (record.Kind == EventLogRecordKind.Notice)
            {
                fleet.Record(record.Notice);
                continue;
            }
            ref readonly TransactionEvent evt = ref record.Event;
            long t0 = Stopwatch.GetTimestamp();
            Decision d = fleet.Evaluate(evt);
            double micros = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (evt.TimestampUtcMs < fromMs || evt.TimestampUtcMs >= toMs) continue;
            if (d.IsRejected) { report.Rejected++; continue; }
            bool fraud = fraudEvents.Contains((evt.TerminalId, evt.EventId));
            // Rank by the calibrated probability; rule decisions rank by their fixed risk score.
            scores.Add(d.Source == DecisionSource.Model ? d.Probability : d.RiskScore / 100.0);
            labels.Add(fraud);
            days.Add((int)(evt.TimestampUtcMs / 86_400_000)); // UTC day, as S.day.npy
            if (!cardIndex.TryGetValue(evt.CardToken, out long ci)) cardIndex[evt.CardToken] = ci = cardIndex.Count;
            cards.Add(ci);
            latencies.Add(micros);
            if (d.IsFallback) report.Fallbacks++;
            confusion[(int)d.Verdict, fraud ? 0 : 1]++;
            if (record.Typology != FraudTypology.Legitimate)
            {
                if (!typologies.TryGetValue(record.Typology, out var t)) typologies[record.Typology] = t = new TypologyRecall();
                t.Events++;
                if (d.Verdict == Verdict.Deny) t.Denied++;
                if (d.Verdict == Verdict.Review) t.Reviewed++;
            }
        }

        var s = scores.ToArray();
        var l = labels.ToArray();
        report.Model = fleet.Model is { } m ? $"{m.Manifest.Name} {m.Manifest.Version}" : rulesOnly ? "rules only" : $"none ({fleet.Refusal?.Code})";
        report.ModelSha256 = fleet.Model?.ManifestSha256;
        report.Profile = profile.Name;
        report.Data = Path.GetFileName(logPath);
        report.FromUtc = Iso(fromMs);
        report.ToUtc = Iso(toMs);
        report.Events = s.Length;
        report.Positives = l.Count(x => x);
        report.AveragePrecision = RankingMetrics.AveragePrecision(s, l);
        report.RocAuc = RankingMetrics.RocAuc(s, l);
        report.RecallAtFpr01 = RankingMetrics.RecallAtFpr(s, l, 0.001);
        report.RecallAtFpr1 = RankingMetrics.RecallAtFpr(s, l, 0.01);
        report.CardPrecisionAt100 = RankingMetrics.CardPrecisionAtK(s, l, days.ToArray(), cards.ToArray(), 100);
        foreach (Verdict v in new[] { Verdict.Allow, Verdict.Review, Verdict.Deny })
            report.Confusion[v.ToString().ToLowerInvariant()] = new() { ["fraud"] = confusion[(int)v, 0], ["legitimate"] = confusion[(int)v, 1] };
        foreach (var (typology, t) in typologies)
        {
            t.RecallDeny = t.Events == 0 ? double.NaN : (double)t.Denied / t.Events;
            t.RecallFlagged = t.Events == 0 ? double.NaN : (double)(t.Denied + t.Reviewed) / t.Events;
            report.PerTypology[FraudTypologies.Name(typology)] = t;
        }
        latencies.Sort();
        report.LatencyP50Us = latencies.Count == 0 ? double.NaN : Math.Round(latencies[latencies.Count / 2], 1);
        report.LatencyP99Us = latencies.Count == 0 ? double.NaN : Math.Round(latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))], 1);
        return report;
    }

    /// <summary>(terminal, event id) of every event a fraud report or chargeback arrived for.</summary>
    private static HashSet<(TerminalId, ulong)> FraudLabelledEvents(string logPath)
    {
        var set = new HashSet<(TerminalId, ulong)>();
        using var reader = EventLogReader.Open(logPath);
        while (reader.Read(out EventLogRecord record))
        {
            if (record.Kind == EventLogRecordKind.Notice && record.Notice.IsFraudLabel)
                set.Add((record.Notice.TerminalId, record.Notice.EventId));
        }
        return set;
    }

    private static string Iso(long ms) => ms is long.MinValue or long.MaxValue ? ""
        : DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
