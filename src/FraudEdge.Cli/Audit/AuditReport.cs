using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;

namespace FraudEdge.Cli.Audit;

/// <summary>A model-loaded record as the report lists it ("models in force over time").</summary>
public sealed record AuditReportModel(ulong Record, long WrittenUtcMs, AuditModelChange Change, string Name, string Version, string Sha256,
    string SigningKeyId, string? Refusal);

/// <summary>Decisions of one UTC day (the event's timestamp).</summary>
public sealed record AuditReportDay(DateOnly Day)
{
    public long Allow { get; set; }
    public long Review { get; set; }
    public long Deny { get; set; }
    public long Rejected { get; set; }
    public long Total => Allow + Review + Deny + Rejected;
}

/// <summary>Precision and recall of one flagging rule against the fraud labels.</summary>
public sealed record AuditReportLabelScore(string Rule, long Flagged, long TruePositives, long Positives)
{
    public double Precision => Flagged > 0 ? (double)TruePositives / Flagged : double.NaN;
    public double Recall => Positives > 0 ? (double)TruePositives / Positives : double.NaN;
}

/// <summary>Everything `fraudedge report` puts in its HTML file (docs/audit-log.md, "Report").</summary>
public sealed record AuditReportData
{
    public required AuditVerifyReport Verify { get; init; }
    /// <summary>Set when the reader stopped early (the log is broken): the statistics cover the records before it.</summary>
    public AuditProblem? ReadProblem { get; init; }
    public long RecordsRead { get; init; }
    public long Decisions { get; init; }
    public long Rejected { get; init; }
    public long OutcomesAccepted { get; init; }
    public long OutcomesRefused { get; init; }
    public long InvalidTimestamps { get; init; }
    public IReadOnlyList<AuditReportModel> Models { get; init; } = [];
    public IReadOnlyList<AuditReportDay> Days { get; init; } = [];
    /// <summary>Risk scores of decided events in buckets 1–10, 11–20, …, 91–99.</summary>
    public long[] ScoreBuckets { get; init; } = new long[AuditReportBuilder.BucketCount];
    /// <summary>Decided events with a score outside 1–99.</summary>
    public long ScoresOutOfRange { get; init; }
    /// <summary>Reason codes on review and deny verdicts, most frequent first.</summary>
    public IReadOnlyList<(ReasonCode Code, long Count)> TopReasons { get; init; } = [];
    public long FlaggedDecisions { get; init; }
    public long FraudNotices { get; init; }
    public long LabelledFrauds { get; init; }
    public long UnmatchedFraudNotices { get; init; }
    /// <summary>Empty when the log holds no label.</summary>
    public IReadOnlyList<AuditReportLabelScore> LabelScores { get; init; } = [];
    /// <summary>Null when replay was skipped (--no-replay) or impossible (broken log).</summary>
    public ReplayReport? Replay { get; init; }
    public string ReplayNote { get; init; } = "";
    public DateTimeOffset GeneratedUtc { get; init; }
}

/// <summary>Reads a verified (or broken) log once and gathers the report's statistics.</summary>
public static class AuditReportBuilder
{
    public const int BucketCount = 10;

    public static AuditReportData Collect(string directory, AuditReplayOptions? replay)
    {
        AuditVerifyReport verified = AuditVerifier.Verify(directory);
        var models = new List<AuditReportModel>();
        var days = new SortedDictionary<DateOnly, AuditReportDay>();
        var buckets = new long[BucketCount];
        var reasons = new Dictionary<ReasonCode, long>();
        var frauds = new HashSet<(ulong, TerminalId)>();
        var decided = new List<((ulong, TerminalId) Key, Verdict Verdict)>();
        long records = 0, decisions = 0, rejected = 0, accepted = 0, refused = 0, invalidTime = 0, outOfRange = 0, flagged = 0, fraudNotices = 0;
        AuditProblem? problem;
        using (var reader = new AuditReader(directory))
        {
            while (reader.Read(out AuditRecord record) == AuditReadResult.Record)
            {
                records++;
                switch (record.Type)
                {
                    case AuditRecordType.ModelLoaded:
                    {
                        AuditModelLoaded m = record.ModelLoaded!;
                        models.Add(new AuditReportModel(record.Number, record.WrittenUtcMs, m.Change, m.Name, m.Version, m.ManifestSha256.ToString(),
                            m.SigningKeyId, m.Refusal?.ToString()));
                        break;
                    }
                    case AuditRecordType.Outcome:
                    {
                        AuditOutcome o = record.Outcome;
                        if (o.IsRejected) { refused++; break; } // a refused notice is not a label
                        accepted++;
                        if (o.Notice.IsFraudLabel)
                        {
                            fraudNotices++;
                            frauds.Add((o.Notice.EventId, o.Notice.TerminalId));
                        }
                        break;
                    }
                    case AuditRecordType.Decision:
                    {
                        AuditDecision d = record.Decision;
                        decisions++;
                        long ms = d.Event.TimestampUtcMs;
                        AuditReportDay? day = null;
                        if (ms >= -62135596800000L && ms <= 253402300799999L)
                        {
                            var date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime);
                            if (!days.TryGetValue(date, out day)) days[date] = day = new AuditReportDay(date);
                        }
                        else
                        {
                            invalidTime++;
                        }
                        if (d.IsRejected)
                        {
                            rejected++;
                            if (day is not null) day.Rejected++;
                            break;
                        }
                        if (day is not null)
                        {
                            if (d.Verdict == Verdict.Deny) day.Deny++;
                            else if (d.Verdict == Verdict.Review) day.Review++;
                            else day.Allow++;
                        }
                        if (d.RiskScore is >= 1 and <= 99) buckets[Math.Min(BucketCount - 1, (d.RiskScore - 1) / 10)]++;
                        else outOfRange++;
                        if (d.Verdict is Verdict.Review or Verdict.Deny)
                        {
                            flagged++;
                            for (int bit = 0; bit < 64; bit++)
                            {
                                var single = (ReasonCode)(1UL << bit);
                                if ((d.Reasons & single) != 0) reasons[single] = reasons.GetValueOrDefault(single) + 1;
                            }
                        }
                        decided.Add(((d.Event.EventId, d.Event.TerminalId), d.Verdict));
                        break;
                    }
                }
            }
            problem = reader.Problem;
        }

        // Labels: accepted fraud-reported / chargeback notices, matched to decisions by event id + terminal id.
        var matched = new HashSet<(ulong, TerminalId)>();
        long positives = 0, flaggedAny = 0, tpAny = 0, denied = 0, tpDeny = 0;
        foreach (var (key, verdict) in decided)
        {
            bool fraud = frauds.Contains(key);
            if (fraud) { positives++; matched.Add(key); }
            if (verdict is Verdict.Review or Verdict.Deny) { flaggedAny++; if (fraud) tpAny++; }
            if (verdict == Verdict.Deny) { denied++; if (fraud) tpDeny++; }
        }
        var scores = positives > 0
            ? new List<AuditReportLabelScore>
            {
                new("review or deny", flaggedAny, tpAny, positives),
                new("deny", denied, tpDeny, positives),
            }
            : [];

        ReplayReport? replayed = null;
        string note;
        if (replay is null) note = "replay skipped (--no-replay)";
        else if (!verified.Intact || problem is not null) note = "not replayed: the log is broken";
        else
        {
            replayed = AuditReplayer.Replay(directory, replay);
            note = "";
        }

        return new AuditReportData
        {
            Verify = verified, ReadProblem = problem, RecordsRead = records, Decisions = decisions, Rejected = rejected,
            OutcomesAccepted = accepted, OutcomesRefused = refused, InvalidTimestamps = invalidTime, Models = models, Days = [.. days.Values],
            ScoreBuckets = buckets, ScoresOutOfRange = outOfRange,
            TopReasons = [.. reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => (ulong)kv.Key).Take(12).Select(kv => (kv.Key, kv.Value))],
            FlaggedDecisions = flagged, FraudNotices = fraudNotices, LabelledFrauds = positives, UnmatchedFraudNotices = frauds.Count - matched.Count,
            LabelScores = scores, Replay = replayed, ReplayNote = note, GeneratedUtc = DateTimeOffset.UtcNow,
        };
    }
}
