namespace FraudEdge.Core.Audit;

/// <summary>
/// One record as <see cref="AuditReader"/> returns it: the common fields, where it lies, its SHA-256, and the
/// payload for its <see cref="Type"/> (the other payload properties are default). Decisions and outcomes are
/// structs and read without allocating; the rare model, checkpoint and gap records are objects.
/// </summary>
public readonly record struct AuditRecord
{
    public AuditRecordType Type { get; init; }
    /// <summary>Consecutive from 1 across segments.</summary>
    public ulong Number { get; init; }
    public long WrittenUtcMs { get; init; }
    /// <summary>SHA-256 of the previous record's body (the chain link).</summary>
    public AuditHash PreviousHash { get; init; }
    /// <summary>SHA-256 of this record's body: the next record's <see cref="PreviousHash"/>.</summary>
    public AuditHash Hash { get; init; }
    public uint Segment { get; init; }
    /// <summary>Byte offset of the record's frame in its segment file.</summary>
    public long Offset { get; init; }

    public AuditDecision Decision { get; init; }
    public AuditOutcome Outcome { get; init; }
    public AuditModelLoaded? ModelLoaded { get; init; }
    public AuditCheckpoint? Checkpoint { get; init; }
    public AuditGap Gap { get; init; }
}
