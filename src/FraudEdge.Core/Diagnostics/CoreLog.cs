using Microsoft.Extensions.Logging;

namespace FraudEdge.Core.Diagnostics;

/// <summary>
/// Every log line FraudEdge.Core writes. Event ids and names are a telemetry contract: operators alert on
/// them, so never renumber. No message takes a PAN, track data or key; card identity is never logged at all.
/// </summary>
internal static partial class CoreLog
{
    [LoggerMessage(1000, LogLevel.Information, "Engine started: profile {Profile}, model {Model} {Version} ({Sha}), history tables {TableBytes} bytes")]
    public static partial void EngineStarted(ILogger logger, string profile, string model, string version, string sha, long tableBytes);

    [LoggerMessage(1001, LogLevel.Error, "Model bundle {Source} refused ({Code}): {Reason}. Deciding by rules only until a valid bundle is loaded")]
    public static partial void BundleRefused(ILogger logger, string source, string code, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "Model bundle {Source} refused ({Code}): {Reason}. Keeping model {Model} {Version}")]
    public static partial void ReloadRefused(ILogger logger, string source, string code, string reason, string model, string version);

    [LoggerMessage(1003, LogLevel.Information, "Model reloaded: {Model} {Version} ({Sha})")]
    public static partial void ModelReloaded(ILogger logger, string model, string version, string sha);

    [LoggerMessage(1010, LogLevel.Warning, "History snapshot {Path} ignored: {Error}. Starting with empty history")]
    public static partial void SnapshotIgnored(ILogger logger, string path, string error);

    [LoggerMessage(1011, LogLevel.Information, "History snapshot {Path} restored")]
    public static partial void SnapshotRestored(ILogger logger, string path);

    [LoggerMessage(1012, LogLevel.Information, "History snapshot written to {Path}")]
    public static partial void SnapshotWritten(ILogger logger, string path);

    [LoggerMessage(1020, LogLevel.Debug, "Event {EventId} rejected: {Code} on {Field}")]
    public static partial void EventRejected(ILogger logger, ulong eventId, Events.ValidationErrorCode code, string field);

    [LoggerMessage(1021, LogLevel.Warning, "Model missed its {DeadlineUs} µs deadline on event {EventId}; rules decided")]
    public static partial void DeadlineExceeded(ILogger logger, int deadlineUs, ulong eventId);

    [LoggerMessage(1022, LogLevel.Error, "Model failed on event {EventId}; rules decided")]
    public static partial void ModelFailed(ILogger logger, ulong eventId);

    [LoggerMessage(1100, LogLevel.Information, "Audit log {Directory} open: segment {Segment}, last record {LastRecord}, durability {Durability}, checkpoint key {KeyId}")]
    public static partial void AuditOpened(ILogger logger, string directory, uint segment, ulong lastRecord, string durability, string keyId);

    [LoggerMessage(1101, LogLevel.Warning, "Audit log torn tail in {Segment} at offset {Offset}: {Bytes} bytes of unfinished record {RecordNumber} truncated ({Detail})")]
    public static partial void AuditTornTail(ILogger logger, string segment, long offset, long bytes, ulong recordNumber, string detail);

    [LoggerMessage(1102, LogLevel.Critical, "Audit log corrupt in {Segment} at offset {Offset}, record {RecordNumber}: {Kind} ({Detail}). Refusing to append")]
    public static partial void AuditCorrupt(ILogger logger, string segment, long offset, ulong recordNumber, string kind, string detail);

    [LoggerMessage(1103, LogLevel.Information, "Audit segment {Segment} closed: records {FirstRecord}..{LastRecord}, checkpoint {Signature}")]
    public static partial void AuditSegmentClosed(ILogger logger, string segment, ulong firstRecord, ulong lastRecord, string signature);

    [LoggerMessage(1104, LogLevel.Warning, "Audit rotation deleted segments {FirstSegment}..{LastSegment} (records {FirstRecord}..{LastRecord}) to stay under max_total_bytes; a Gap record marks them")]
    public static partial void AuditSegmentsDeleted(ILogger logger, uint firstSegment, uint lastSegment, ulong firstRecord, ulong lastRecord);

    [LoggerMessage(1105, LogLevel.Critical, "Audit log {Directory}: {Operation} failed ({Error}); no further records are accepted")]
    public static partial void AuditWriteFailed(ILogger logger, string directory, string operation, string error);
}
