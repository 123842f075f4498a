namespace FraudEdge.Bench.Ipc;

/// <summary>One target of the issue, checked against this run's numbers: PASS or MISSED, with the numbers.</summary>
internal sealed record TargetCheck(string Id, string Target, bool Pass, string Detail)
{
    public string Verdict => Pass ? "PASS" : "MISSED";
}
