using System.Globalization;

namespace FraudEdge.Core.Audit;

/// <summary>
/// The first thing found wrong in a log, precisely: which segment file, the byte offset of the record (or header)
/// in it, and the record number at that place in the sequence (the number expected there, since a damaged
/// record's own fields cannot be trusted). <see cref="Message"/> never contains card data.
/// </summary>
public sealed record AuditProblem(AuditProblemKind Kind, string SegmentFile, uint Segment, long Offset, ulong RecordNumber, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind} in {SegmentFile} at offset {Offset}, record {RecordNumber}: {Message}");
}
