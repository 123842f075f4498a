using FraudEdge.Core.Crypto;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Where and how the audit log is written. <see cref="FromProfile"/> takes the sizes and durability from the
/// hardware profile's "audit" section; the directory and the checkpoint key come from deployment configuration.
/// </summary>
public sealed record AuditLogOptions
{
    /// <summary>Smallest segment accepted (tests use tiny segments; profiles require 64 KiB).</summary>
    public const long MinSegmentBytes = 1024;

    /// <summary>The audit folder (created when missing; 0700, owned by the service user, in production).</summary>
    public required string Directory { get; init; }

    /// <summary>A segment is closed with a checkpoint and a new one started before it would exceed this size.</summary>
    public long SegmentBytes { get; init; } = 4L << 20;

    /// <summary>When the segments would exceed this total, the oldest are deleted and a Gap record says so. At least two segments.</summary>
    public long MaxTotalBytes { get; init; } = 32L << 20;

    public AuditDurability Durability { get; init; } = AuditDurability.FsyncEachRecord;

    /// <summary>
    /// False: the writer before preallocation (each append grows the file, fsync(2) per record). Kept only so that
    /// bench `audit` can measure what preallocation changes on the same disk in the same run.
    /// </summary>
    internal bool Preallocate { get; init; } = true;

    /// <summary>Group commit: the longest an appended record waits for its fsync (1..10000 ms).</summary>
    public int GroupCommitMs { get; init; } = 5;

    /// <summary>
    /// Signs each checkpoint (ECDSA P-256, SHA-256). Owned by the caller, who must keep it alive while the log is
    /// open. Null with no <see cref="CheckpointSigningKeyPath"/>: checkpoints are written unsigned.
    /// </summary>
    public P256PrivateKey? CheckpointSigningKey { get; init; }

    /// <summary>PEM file with the P-256 private key ("EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY") that signs checkpoints.</summary>
    public string? CheckpointSigningKeyPath { get; init; }

    /// <summary>
    /// True (default): a clean close (<see cref="AuditLog.Dispose"/>, the service's stop) ends the open segment with its
    /// checkpoint, signed when there is a key, so every record written before a clean stop is covered by a signature
    /// and nothing is left "after the last checkpoint"; the next open starts a new segment. False: the open segment
    /// stays open and the next open appends to it (records since the last rotation stay unsigned until then).
    /// </summary>
    public bool SealOnClose { get; init; } = true;

    /// <summary>Clock for the records' written-at field; default the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Test hook for the crash tests only: write each record in two halves with an fsync and a 1 ms pause between, so a
    /// SIGKILL at a random moment often lands inside a record and leaves a real torn tail. Never set in production.
    /// </summary>
    internal bool SplitWritesForCrashTests { get; init; }

    public static AuditLogOptions FromProfile(string directory, AuditLimits limits, P256PrivateKey? checkpointSigningKey = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new AuditLogOptions
        {
            Directory = directory,
            SegmentBytes = limits.SegmentBytes,
            MaxTotalBytes = limits.MaxTotalBytes,
            Durability = ParseDurability(limits.Durability),
            GroupCommitMs = limits.GroupCommitMs,
            CheckpointSigningKey = checkpointSigningKey,
        };
    }

    /// <summary>The profile's spelling: "fsync-each-record" or "group-commit".</summary>
    public static AuditDurability ParseDurability(string text) => text switch
    {
        "fsync-each-record" => AuditDurability.FsyncEachRecord,
        "group-commit" => AuditDurability.GroupCommit,
        _ => throw new AuditLogException(AuditErrorCode.InvalidOptions, "audit.durability must be \"fsync-each-record\" or \"group-commit\""),
    };

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw Invalid("the audit directory is required");
        if (SegmentBytes < MinSegmentBytes || SegmentBytes > 1L << 32) throw Invalid($"segment bytes must be {MinSegmentBytes}..4 GiB");
        if (MaxTotalBytes < 2 * SegmentBytes) throw Invalid("max total bytes must hold at least two segments");
        if (Durability is not (AuditDurability.FsyncEachRecord or AuditDurability.GroupCommit)) throw Invalid("unknown durability");
        if (Durability == AuditDurability.GroupCommit && GroupCommitMs is < 1 or > 10_000) throw Invalid("group commit needs 1..10000 ms");
        if (CheckpointSigningKey is not null && CheckpointSigningKeyPath is not null) throw Invalid("give a checkpoint signing key or a key path, not both");
    }

    private static AuditLogException Invalid(string message) => new(AuditErrorCode.InvalidOptions, message);
}
