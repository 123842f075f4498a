namespace FraudEdge.Data.Dataset;

/// <summary>What an export wrote, per split (train, validation, gap, test).</summary>
public sealed class DatasetSummary
{
    public required DatasetTimeline Timeline { get; init; }
    public long[] Counts { get; } = new long[4];
    public long[] Positives { get; } = new long[4];
    /// <summary>Fraud events (ground truth) whose label the split may not use because it arrived at or after t3.</summary>
    public long[] LateLabels { get; } = new long[4];
    public long Notices { get; internal set; }
    public int Cards { get; internal set; }
    public string SourceSha256 { get; internal set; } = "";
    public double ElapsedSeconds { get; internal set; }
}
