using System.Diagnostics;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Cli.Evaluation;

namespace FraudEdge.Cli.Audit;

/// <summary>One side of a diff: a bundle folder, or null for the shipped bundle embedded in FraudEdge.Core.</summary>
public sealed record AuditDiffModel(string? Directory, TrustedKeys? TrustedKeys = null)
{
    public string Source => Directory is null ? "embedded" : Path.GetFullPath(Directory);
}

/// <summary>What to compare a log with (docs/audit-log.md, "Diff").</summary>
public sealed record AuditDiffOptions
{
    /// <summary>Profile of both engines (history capacities and thresholds); its deadline is switched off.</summary>
    public required HardwareProfile Profile { get; init; }
    public required AuditDiffModel ModelA { get; init; }
    public required AuditDiffModel ModelB { get; init; }
    /// <summary>Verdict changes listed, largest |risk shift| first (all are counted).</summary>
    public int Top { get; init; } = 20;
}

/// <summary>A decision whose verdict differs between the two bundles.</summary>
public readonly record struct AuditDiffChange(ulong Record, ulong EventId, Verdict VerdictA, byte RiskA, Verdict VerdictB, byte RiskB, bool Fraud)
{
    public int Shift => RiskB - RiskA;
}

/// <summary>Counts of one bundle's verdicts against the fraud labels that arrived in the log.</summary>
public sealed record AuditDiffSide
{
    public required string Model { get; init; }
    public required string Sha256 { get; init; }
    public required string Source { get; init; }
    public long Allowed { get; init; }
    public long Reviewed { get; init; }
    public long Denied { get; init; }
    /// <summary>Labelled-fraud decisions this bundle reviewed or denied.</summary>
    public long FraudsCaught { get; init; }
    /// <summary>Labelled-fraud decisions this bundle allowed.</summary>
    public long FraudsMissed { get; init; }
    /// <summary>Decisions with no fraud label that this bundle denied.</summary>
    public long LegitimateDeclined { get; init; }
    /// <summary>Average precision of the risk score against the labels (NaN without labels).</summary>
    public double AveragePrecision { get; init; } = double.NaN;
}

/// <summary>One bucket of the risk-shift histogram: shifts From..To inclusive.</summary>
public readonly record struct AuditDiffBucket(int From, int To, long Count)
{
    public string Label => From == To ? $"{From}" : From == -98 ? $"<= {To}" : To == 98 ? $">= {From}" : $"{From}..{To}";
}

public sealed record AuditDiffReport
{
    public required string Directory { get; init; }
    /// <summary>Set when the log failed verification: nothing was compared.</summary>
    public AuditProblem? Problem { get; init; }
    public bool StartsAtGenesis { get; init; }
    public string Profile { get; init; } = "";
    public AuditDiffSide? A { get; init; }
    public AuditDiffSide? B { get; init; }
    public long Records { get; init; }
    public long Decisions { get; init; }
    /// <summary>Decisions with no verdict from either bundle (the event was rejected by validation).</summary>
    public long Rejected { get; init; }
    /// <summary>Decisions with a verdict from both: the matrix total.</summary>
    public long Compared { get; init; }
    /// <summary>[A verdict − 1, B verdict − 1]: allow, review, deny.</summary>
    public long[,] Matrix { get; init; } = new long[3, 3];
    public long Agreements { get; init; }
    public double AgreementPercent => Compared > 0 ? 100.0 * Agreements / Compared : 100.0;
    public long Changes => Compared - Agreements;
    public IReadOnlyList<AuditDiffChange> TopChanges { get; init; } = [];
    /// <summary>Decisions whose risk score differs (verdict changed or not).</summary>
    public long ScoreChanged { get; init; }
    public double ShiftMean { get; init; }
    public int ShiftP5 { get; init; }
    public int ShiftP50 { get; init; }
    public int ShiftP95 { get; init; }
    public int ShiftMin { get; init; }
    public int ShiftMax { get; init; }
    public IReadOnlyList<AuditDiffBucket> Histogram { get; init; } = [];
    public long OutcomesApplied { get; init; }
    public long OutcomesRefused { get; init; }
    /// <summary>Accepted fraud-reported / chargeback notices in the log.</summary>
    public long FraudNotices { get; init; }
    /// <summary>Compared decisions labelled fraud by such a notice (event id + terminal id).</summary>
    public long LabelledFrauds { get; init; }
    /// <summary>Fraud notices naming no decision in the log (made before it starts, or after rotation).</summary>
    public long UnmatchedFraudNotices { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// `fraudedge diff`: shadow comparison of two bundles on the history of one audit log. The log is verified, then
/// its records are fed in order to two engines (same profile, no audit, no deadline) — accepted outcome notices to
/// <see cref="FraudEngine.Record"/>, decisions to <see cref="FraudEngine.Evaluate"/> — and their answers compared.
/// </summary>
public static class AuditDiff
{
    /// <summary>Histogram bucket bounds of the risk shift B − A (risk scores are 1..99, so shifts are −98..98).</summary>
    private static readonly (int From, int To)[] Buckets =
        [(-98, -50), (-49, -20), (-19, -5), (-4, -1), (0, 0), (1, 4), (5, 19), (20, 49), (50, 98)];

    public static AuditDiffReport Compare(string directory, AuditDiffOptions options, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        AuditVerifyReport verified = AuditVerifier.Verify(directory);
        string fullPath = Path.GetFullPath(directory);
        if (!verified.Intact)
            return new AuditDiffReport { Directory = fullPath, Problem = verified.Problem, Records = verified.Records };

        options.Profile.Scoring.DeadlineMicroseconds = 0; // a slow machine must not turn model decisions into rules ones
        using FraudEngine a = Open(options.Profile, options.ModelA);
        using FraudEngine b = Open(options.Profile, options.ModelB);

        long records = 0, decisions = 0, rejected = 0, applied = 0, refused = 0, fraudNotices = 0;
        var matrix = new long[3, 3];
        var changes = new List<AuditDiffChange>();
        var shifts = new List<int>();
        var riskA = new List<byte>();
        var riskB = new List<byte>();
        var verdictA = new List<Verdict>();
        var verdictB = new List<Verdict>();
        var keys = new List<(ulong EventId, TerminalId Terminal)>();
        var numbers = new List<ulong>();
        var frauds = new HashSet<(ulong, TerminalId)>();
        long total = Math.Max(1, verified.Records), step = Math.Max(1, total / 200);
        var clock = Stopwatch.StartNew();
        using (var reader = new AuditReader(directory))
        {
            while (reader.Read(out AuditRecord record) == AuditReadResult.Record)
            {
                records++;
                if (progress is not null && records % step == 0) progress((double)records / total);
                switch (record.Type)
                {
                    case AuditRecordType.Outcome:
                    {
                        AuditOutcome outcome = record.Outcome;
                        if (outcome.IsRejected) { refused++; break; } // never touched the device's history; not a label either
                        a.Record(outcome.Notice);
                        b.Record(outcome.Notice);
                        applied++;
                        if (outcome.Notice.IsFraudLabel)
                        {
                            fraudNotices++;
                            frauds.Add((outcome.Notice.EventId, outcome.Notice.TerminalId));
                        }
                        break;
                    }
                    case AuditRecordType.Decision:
                    {
                        TransactionEvent evt = record.Decision.Event;
                        decisions++;
                        Decision da = a.Evaluate(evt);
                        Decision db = b.Evaluate(evt);
                        if (da.IsRejected || db.IsRejected || da.Verdict == Verdict.None || db.Verdict == Verdict.None)
                        {
                            rejected++;
                            break;
                        }
                        matrix[(int)da.Verdict - 1, (int)db.Verdict - 1]++;
                        shifts.Add(db.RiskScore - da.RiskScore);
                        riskA.Add(da.RiskScore);
                        riskB.Add(db.RiskScore);
                        verdictA.Add(da.Verdict);
                        verdictB.Add(db.Verdict);
                        keys.Add((evt.EventId, evt.TerminalId));
                        numbers.Add(record.Number);
                        break;
                    }
                }
            }
            if (reader.Problem is { } late) // verified a moment ago: the log changed under us
                return new AuditDiffReport { Directory = fullPath, Problem = late, Records = records };
        }

        int n = shifts.Count;
        var labels = new bool[n];
        var matchedKeys = new HashSet<(ulong, TerminalId)>();
        for (int i = 0; i < n; i++)
            if (frauds.Contains(keys[i])) { labels[i] = true; matchedKeys.Add(keys[i]); }
        for (int i = 0; i < n; i++)
            if (verdictA[i] != verdictB[i])
                changes.Add(new AuditDiffChange(numbers[i], keys[i].EventId, verdictA[i], riskA[i], verdictB[i], riskB[i], labels[i]));

        int[] sorted = [.. shifts];
        Array.Sort(sorted);
        var histogram = new AuditDiffBucket[Buckets.Length];
        for (int k = 0; k < Buckets.Length; k++)
        {
            (int from, int to) = Buckets[k];
            histogram[k] = new AuditDiffBucket(from, to, sorted.LongCount(s => s >= from && s <= to));
        }
        long agreements = matrix[0, 0] + matrix[1, 1] + matrix[2, 2];
        clock.Stop();
        progress?.Invoke(1.0);
        return new AuditDiffReport
        {
            Directory = fullPath, StartsAtGenesis = verified.StartsAtGenesis, Profile = options.Profile.Name,
            A = Side(a, options.ModelA, verdictA, riskA, labels), B = Side(b, options.ModelB, verdictB, riskB, labels),
            Records = records, Decisions = decisions, Rejected = rejected, Compared = n, Matrix = matrix, Agreements = agreements,
            TopChanges = [.. changes.OrderByDescending(c => Math.Abs(c.Shift)).ThenBy(c => c.Record).Take(options.Top)],
            ScoreChanged = sorted.LongCount(s => s != 0),
            ShiftMean = n > 0 ? sorted.Average() : 0, ShiftP5 = Percentile(sorted, 0.05), ShiftP50 = Percentile(sorted, 0.50),
            ShiftP95 = Percentile(sorted, 0.95), ShiftMin = n > 0 ? sorted[0] : 0, ShiftMax = n > 0 ? sorted[^1] : 0, Histogram = histogram,
            OutcomesApplied = applied, OutcomesRefused = refused, FraudNotices = fraudNotices, LabelledFrauds = labels.LongCount(l => l),
            UnmatchedFraudNotices = frauds.Count - matchedKeys.Count, Elapsed = clock.Elapsed,
        };
    }

    private static FraudEngine Open(HardwareProfile profile, AuditDiffModel model)
    {
        var engine = new FraudEngine(new FraudEngineOptions { Profile = profile, ModelDirectory = model.Directory, TrustedKeys = model.TrustedKeys });
        if (engine.Model is not null) return engine;
        BundleException refusal = engine.ModelRefusal ?? new BundleException(BundleErrorCode.NoTrustedKeys, "no model loaded");
        engine.Dispose();
        throw refusal;
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when empty).</summary>
    private static int Percentile(int[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static AuditDiffSide Side(FraudEngine engine, AuditDiffModel model, List<Verdict> verdicts, List<byte> risks, bool[] labels)
    {
        long allowed = 0, reviewed = 0, denied = 0, caught = 0, missed = 0, declined = 0;
        var scores = new double[verdicts.Count];
        for (int i = 0; i < verdicts.Count; i++)
        {
            Verdict v = verdicts[i];
            scores[i] = risks[i];
            if (v == Verdict.Allow) allowed++;
            else if (v == Verdict.Review) reviewed++;
            else denied++;
            if (labels[i])
            {
                if (v == Verdict.Allow) missed++;
                else caught++;
            }
            else if (v == Verdict.Deny)
            {
                declined++;
            }
        }
        ModelBundle bundle = engine.Model!;
        return new AuditDiffSide
        {
            Model = $"{bundle.Manifest.Name} {bundle.Manifest.Version}", Sha256 = bundle.ManifestSha256, Source = model.Source,
            Allowed = allowed, Reviewed = reviewed, Denied = denied, FraudsCaught = caught, FraudsMissed = missed, LegitimateDeclined = declined,
            AveragePrecision = RankingMetrics.AveragePrecision(scores, labels),
        };
    }
}
