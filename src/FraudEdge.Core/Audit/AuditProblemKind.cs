namespace FraudEdge.Core.Audit;

/// <summary>What is wrong with an audit log, at one precise place. Printed by `fraudedge verify`: never renumber.</summary>
public enum AuditProblemKind
{
    /// <summary>The folder holds no audit segment (all deleted, or the wrong folder).</summary>
    NoSegments = 1,
    /// <summary>A segment header is not "FEAU" v1, fails its CRC, or names another segment than its file.</summary>
    BadSegmentHeader = 2,
    /// <summary>Segment numbers skip one, or the oldest segment is neither the first ever nor explained by a Gap record.</summary>
    MissingSegment = 3,
    /// <summary>A record's length and its complement disagree, or the length is impossible.</summary>
    BadRecordHeader = 4,
    /// <summary>A record in the middle of the log fails its CRC-32C: corruption.</summary>
    BadCrc = 5,
    /// <summary>
    /// The end of the newest segment holds an unfinished record (a crash mid-write): a short record, a damaged last
    /// record or a zero-filled tail. Opening the log for append truncates it and reports it; verify reports it.
    /// </summary>
    TornTail = 6,
    /// <summary>A segment other than the newest ends inside a record: it was cut.</summary>
    TruncatedSegment = 7,
    /// <summary>A record's number is not the previous one plus one (deleted, reordered or inserted records).</summary>
    NonConsecutiveRecordNumber = 8,
    /// <summary>A record's previous-hash is not the SHA-256 of the record before it (a record was changed).</summary>
    BrokenChain = 9,
    /// <summary>Unknown record type, or a body length that is not the type's fixed length.</summary>
    BadRecordLayout = 10,
    /// <summary>A checkpoint's fields do not describe its segment (number, first/last record, head hash).</summary>
    CheckpointMismatch = 11,
    /// <summary>A segment other than the newest does not end with a checkpoint.</summary>
    MissingCheckpoint = 12,
    /// <summary>A record follows the checkpoint that closed its segment.</summary>
    RecordAfterCheckpoint = 13,
    /// <summary>A checkpoint signature does not verify with any trusted key, or not with the key it names.</summary>
    BadCheckpointSignature = 14,
    /// <summary>Trusted keys were given but a checkpoint is unsigned.</summary>
    UnsignedCheckpoint = 15,
}
