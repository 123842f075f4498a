namespace FraudEdge.Core.Audit;

/// <summary>
/// Written first in a new segment when rotation deletes the oldest segments to stay under max_total_bytes: what is
/// deleted, so verify reports "records 1..N rotated away (expected)" instead of a broken chain, and a deletion
/// nobody recorded stays visible. Layout: docs/audit-log.md, "Gap".
/// </summary>
public readonly record struct AuditGap(uint FirstSegment, uint LastSegment, ulong FirstRecord, ulong LastRecord, AuditHash LastHash)
{
    internal static void Write(ref LayoutWriter w, in AuditGap gap)
    {
        w.U32(gap.FirstSegment);
        w.U32(gap.LastSegment);
        w.U64(gap.FirstRecord);
        w.U64(gap.LastRecord);
        w.Hash(gap.LastHash);
    }

    internal static AuditGap Read(ref LayoutReader r) => new(r.U32(), r.U32(), r.U64(), r.U64(), r.Hash());

    public override string ToString() => $"segments {FirstSegment}..{LastSegment}, records {FirstRecord}..{LastRecord}";
}
