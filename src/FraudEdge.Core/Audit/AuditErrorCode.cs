namespace FraudEdge.Core.Audit;

/// <summary>Why the audit log refused to open or to append. Stable values (logs, service status): never renumber.</summary>
public enum AuditErrorCode
{
    /// <summary>Another process (or another AuditLog in this one) holds the folder's audit.lock.</summary>
    DirectoryInUse = 1,
    /// <summary>The newest segment is corrupt somewhere other than its tail: refusing to append after it.</summary>
    Corrupt = 2,
    /// <summary>A write or fsync failed (disk full, I/O error). The log stops: no further appends.</summary>
    WriteFailed = 3,
    /// <summary>Options are impossible (segment too small, total smaller than two segments, bad key).</summary>
    InvalidOptions = 4,
    /// <summary>The log failed earlier or was disposed.</summary>
    Closed = 5,
}
