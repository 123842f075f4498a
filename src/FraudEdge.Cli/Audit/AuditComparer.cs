using FraudEdge.Core.Audit;

namespace FraudEdge.Cli.Audit;

/// <summary>One decision position where the two logs disagree.</summary>
public sealed record CompareDifference(int Index, ulong EventIdA, ulong EventIdB, string[] Fields, ReplayAnswer A, ReplayAnswer B);

public sealed record CompareReport
{
    public required string DirectoryA { get; init; }
    public required string DirectoryB { get; init; }
    /// <summary>Set when a log failed verification (which one is in the message): nothing was compared.</summary>
    public AuditProblem? Problem { get; init; }
    public string? ProblemLog { get; init; }
    public long DecisionsA { get; init; }
    public long DecisionsB { get; init; }
    public long OutcomesA { get; init; }
    public long OutcomesB { get; init; }
    /// <summary>Decision positions compared (the shorter log's count).</summary>
    public long Compared { get; init; }
    /// <summary>Positions whose event ids differ: the logs did not see the same traffic in the same order.</summary>
    public long EventOrderDifferences { get; init; }
    public long SameVerdict { get; init; }
    public long BitIdentical { get; init; }
    public long WithinTolerance { get; init; }
    public long Differences { get; init; }
    public double Tolerance { get; init; }
    public double MaxProbabilityDelta { get; init; }
    public double MaxLogitDelta { get; init; }
    /// <summary>The model hashes the decisions of each log were made with (distinct, in order of appearance).</summary>
    public IReadOnlyList<string> ModelsA { get; init; } = [];
    public IReadOnlyList<string> ModelsB { get; init; } = [];
    public IReadOnlyList<CompareDifference> DifferenceList { get; init; } = [];

    /// <summary>Same traffic, same number of decisions, every verdict, risk score, source, reasons and rejection identical, probabilities within the tolerance.</summary>
    public bool Equivalent => Problem is null && DecisionsA == DecisionsB && EventOrderDifferences == 0 && Differences == 0 && Compared > 0;
}

/// <summary>
/// `fraudedge compare`: two audit logs of the same traffic (e.g. one written by an arm64 fraudedged, one by an x64
/// one, scripts/arm64-parity.sh), compared decision by decision in log order: the event ids must be the same
/// sequence; rejection, verdict, risk score, source and reasons identical; probabilities within a tolerance.
/// Both logs are verified first.
/// </summary>
public static class AuditComparer
{
    public static CompareReport Compare(string a, string b, double tolerance, int maxDifferences = 100)
    {
        string fullA = Path.GetFullPath(a), fullB = Path.GetFullPath(b);
        foreach (string dir in (string[])[a, b])
        {
            AuditVerifyReport verified = AuditVerifier.Verify(dir);
            if (!verified.Intact)
                return new CompareReport { DirectoryA = fullA, DirectoryB = fullB, Problem = verified.Problem, ProblemLog = Path.GetFullPath(dir) };
        }
        var (decisionsA, outcomesA, modelsA) = Decisions(a);
        var (decisionsB, outcomesB, modelsB) = Decisions(b);
        int n = Math.Min(decisionsA.Count, decisionsB.Count);
        long order = 0, sameVerdict = 0, identical = 0, within = 0, differences = 0;
        double maxDp = 0, maxDl = 0;
        var list = new List<CompareDifference>();
        for (int i = 0; i < n; i++)
        {
            var (idA, x) = decisionsA[i];
            var (idB, y) = decisionsB[i];
            if (idA != idB) order++;
            if (x.Verdict == y.Verdict && x.Rejection == y.Rejection) sameVerdict++;
            if (x == y && idA == idB) { identical++; continue; }
            double dp = Math.Abs((double)x.Probability - y.Probability), dl = Math.Abs((double)x.Logit - y.Logit);
            if (double.IsFinite(dp)) maxDp = Math.Max(maxDp, dp);
            if (double.IsFinite(dl)) maxDl = Math.Max(maxDl, dl);
            if (idA == idB && AuditReplayer.WithinTolerance(x, y, tolerance)) { within++; continue; }
            differences++;
            if (list.Count < maxDifferences) list.Add(new CompareDifference(i, idA, idB, Fields(idA, idB, x, y), x, y));
        }
        return new CompareReport
        {
            DirectoryA = fullA, DirectoryB = fullB, DecisionsA = decisionsA.Count, DecisionsB = decisionsB.Count, OutcomesA = outcomesA,
            OutcomesB = outcomesB, Compared = n, EventOrderDifferences = order, SameVerdict = sameVerdict, BitIdentical = identical,
            WithinTolerance = within, Differences = differences, Tolerance = tolerance, MaxProbabilityDelta = maxDp, MaxLogitDelta = maxDl,
            ModelsA = modelsA, ModelsB = modelsB, DifferenceList = list,
        };
    }

    private static (List<(ulong EventId, ReplayAnswer Answer)> Decisions, long Outcomes, List<string> Models) Decisions(string directory)
    {
        var decisions = new List<(ulong, ReplayAnswer)>();
        var models = new List<string>();
        long outcomes = 0;
        foreach (AuditRecord record in AuditReader.ReadAll(directory))
        {
            if (record.Type == AuditRecordType.Outcome) outcomes++;
            if (record.Type != AuditRecordType.Decision) continue;
            AuditDecision d = record.Decision;
            decisions.Add((d.Event.EventId, new ReplayAnswer(d.Rejection, d.Verdict, d.RiskScore, d.Source, d.Reasons, d.LogitBits, d.ProbabilityBits)));
            string model = d.ModelSha256.ToString();
            if (models.Count == 0 || models[^1] != model) models.Add(model);
        }
        return (decisions, outcomes, models);
    }

    private static string[] Fields(ulong idA, ulong idB, in ReplayAnswer a, in ReplayAnswer b)
    {
        var fields = new List<string>(8);
        if (idA != idB) fields.Add("event_id");
        if (a.Rejection != b.Rejection) fields.Add("rejection");
        if (a.Verdict != b.Verdict) fields.Add("verdict");
        if (a.RiskScore != b.RiskScore) fields.Add("risk_score");
        if (a.Source != b.Source) fields.Add("source");
        if (a.Reasons != b.Reasons) fields.Add("reasons");
        if (a.LogitBits != b.LogitBits) fields.Add("logit_bits");
        if (a.ProbabilityBits != b.ProbabilityBits) fields.Add("probability_bits");
        return [.. fields];
    }
}
