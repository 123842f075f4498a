using System.Globalization;
using System.Text;

namespace FraudEdge.Core.Audit;

/// <summary>
/// What <see cref="AuditLog.Open"/> found and did. A torn tail is always reported here and in the log
/// (event 1101), never silently accepted: it is the bytes of a record whose write a crash interrupted.
/// </summary>
public sealed record AuditRecovery
{
    /// <summary>The folder had no segment: segment 1 was created.</summary>
    public bool CreatedNew { get; init; }
    /// <summary>An unfinished record (or segment header) at the end of the newest segment was cut off.</summary>
    public bool TornTail { get; init; }
    /// <summary>The problem verify would have reported before the truncation (kind TornTail), when <see cref="TornTail"/>.</summary>
    public AuditProblem? TornTailProblem { get; init; }
    /// <summary>Bytes discarded by the truncation (or the size of a discarded incomplete segment).</summary>
    public long TornBytes { get; init; }
    /// <summary>An incomplete newest segment (crash while it was being created) was deleted.</summary>
    public bool IncompleteSegmentDeleted { get; init; }
    /// <summary>Segments a Gap record had announced but a crash left on disk, deleted now.</summary>
    public int InterruptedDeletionsCompleted { get; init; }
    /// <summary>The newest segment was already closed by a checkpoint, so a new one was started.</summary>
    public bool StartedNewSegment { get; init; }
    /// <summary>Segment appended to from now on.</summary>
    public uint Segment { get; init; }
    /// <summary>Number of the last whole record (0 for an empty log).</summary>
    public ulong LastRecordNumber { get; init; }

    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"segment {Segment}, last record {LastRecordNumber}");
        if (CreatedNew) b.Append(", new log");
        if (TornTail) b.Append(CultureInfo.InvariantCulture, $", torn tail truncated ({TornBytes} bytes): {TornTailProblem}");
        if (IncompleteSegmentDeleted) b.Append(", incomplete newest segment deleted");
        if (InterruptedDeletionsCompleted > 0) b.Append(CultureInfo.InvariantCulture, $", {InterruptedDeletionsCompleted} rotated segment(s) deleted");
        if (StartedNewSegment) b.Append(", new segment started after a checkpoint");
        return b.ToString();
    }
}
