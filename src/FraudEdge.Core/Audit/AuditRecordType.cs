namespace FraudEdge.Core.Audit;

/// <summary>The first byte of every record body. Part of the on-disk format (docs/audit-log.md): never renumber.</summary>
public enum AuditRecordType : byte
{
    /// <summary>One <see cref="FraudEngine.Evaluate"/> answer, rejected events included.</summary>
    Decision = 1,
    /// <summary>One <see cref="FraudEngine.Record"/> call (issuer response, fraud label), refused ones included.</summary>
    Outcome = 2,
    /// <summary>The model in force from here on: written at engine start and on each successful reload.</summary>
    ModelLoaded = 3,
    /// <summary>Closes a segment: its record range and head hash, optionally signed.</summary>
    Checkpoint = 4,
    /// <summary>First record of a segment after rotation deleted the oldest segments: what was deleted.</summary>
    Gap = 5,
}
