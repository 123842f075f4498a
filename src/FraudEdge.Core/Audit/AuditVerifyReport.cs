namespace FraudEdge.Core.Audit;

/// <summary>What <see cref="AuditVerifier.Verify"/> checked and the first problem, if any.</summary>
public sealed record AuditVerifyReport
{
    public required string Directory { get; init; }
    /// <summary>The first problem; null when every check passed.</summary>
    public AuditProblem? Problem { get; init; }
    public bool Intact => Problem is null;

    public int Segments { get; init; }
    public uint FirstSegment { get; init; }
    public uint LastSegment { get; init; }
    /// <summary>Records that passed every check (all of them when intact).</summary>
    public long Records { get; init; }
    public ulong FirstRecord { get; init; }
    public ulong LastRecord { get; init; }
    public long Decisions { get; init; }
    public long Outcomes { get; init; }
    public long ModelLoads { get; init; }
    /// <summary>Bytes of segment files read.</summary>
    public long Bytes { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>Bytes / 10^6 / seconds.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1e6 / Elapsed.TotalSeconds : 0;

    public int Checkpoints { get; init; }
    public int SignedCheckpoints { get; init; }
    /// <summary>True when trusted keys were given: then every checkpoint had to be signed by one of them.</summary>
    public bool SignaturesChecked { get; init; }
    public IReadOnlyList<string> CheckpointKeyIds { get; init; } = [];
    /// <summary>Records after the last checkpoint: the open segment, which no signature covers yet.</summary>
    public long RecordsAfterLastCheckpoint { get; init; }

    /// <summary>True when the oldest segment is the first ever written (segment 1, record 1, nothing before).</summary>
    public bool StartsAtGenesis { get; init; }
    /// <summary>Gap records found: what rotation deleted, oldest first.</summary>
    public IReadOnlyList<AuditGap> Gaps { get; init; } = [];
    /// <summary>The Gap record that explains where the log starts now, when it does not start at genesis.</summary>
    public AuditGap? StartGap { get; init; }
    /// <summary>A Gap record announced segments that are still on disk (a crash interrupted the deletion; the next open completes it).</summary>
    public bool InterruptedDeletion { get; init; }
}
