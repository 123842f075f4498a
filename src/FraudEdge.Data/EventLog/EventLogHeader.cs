namespace FraudEdge.Data.EventLog;

/// <summary>
/// The first record of an event log: who wrote it and from what. Deliberately holds no wall-clock time, so
/// that the same simulator seed yields a byte-identical file.
/// </summary>
public sealed record EventLogHeader
{
    /// <summary>Program and version that wrote the log, e.g. "fraudedge-simulator 1".</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Human-readable description of the source: simulator parameters or the imported CSV file.</summary>
    public required string Source { get; init; }

    /// <summary>Simulator seed; null for imported history.</summary>
    public long? Seed { get; init; }

    /// <summary>True when events carry simulator ground truth (a typology); false when it is unknown (255).</summary>
    public bool HasGroundTruth { get; init; }

    /// <summary>Format version read from the file (always <see cref="EventLogFormat.Version"/> when writing).</summary>
    public int Version { get; init; } = EventLogFormat.Version;
}
