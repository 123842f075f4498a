using FraudEdge.Core.Bundles;

namespace FraudEdge.Core;

/// <summary>What the engine is running and what it has done since start-up.</summary>
public sealed record EngineStatus
{
    public required string Profile { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    /// <summary>SHA-256 of the manifest in force: names the exact bundle (it lists every file's hash).</summary>
    public string? BundleSha256 { get; init; }
    /// <summary>Why there is no model (the refusal code), or null when one is loaded.</summary>
    public BundleErrorCode? ModelRefusal { get; init; }
    public string? ModelRefusalMessage { get; init; }
    public required string Tokenizer { get; init; }
    public long Decisions { get; init; }
    public long Allowed { get; init; }
    public long Reviewed { get; init; }
    public long Denied { get; init; }
    public long Rejected { get; init; }
    public long Fallbacks { get; init; }
    public long DeadlineMisses { get; init; }
    public long OutcomesRecorded { get; init; }
    public long HistoryTableBytes { get; init; }
    /// <summary>Audit records appended since start-up (0 without an audit log).</summary>
    public long AuditRecords { get; init; }
    /// <summary>Number of the last audit record written, or null without an audit log.</summary>
    public ulong? AuditLastRecord => AuditHead?.Record;
    /// <summary>Number of the last audit record known to be fsynced (lags under group commit), or null.</summary>
    public ulong? AuditDurableRecord { get; init; }
    /// <summary>The audit log's head — last record number and its SHA-256, read together — or null without an audit log.</summary>
    public (ulong Record, Audit.AuditHash Hash)? AuditHead { get; init; }
}
