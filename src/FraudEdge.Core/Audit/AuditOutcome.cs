using FraudEdge.Core.Events;

namespace FraudEdge.Core.Audit;

/// <summary>
/// An outcome record's payload: the notice as received and whether it was accepted. With the decisions it is
/// enough to rebuild the history the engine had. Layout: docs/audit-log.md, "Outcome".
/// </summary>
public readonly record struct AuditOutcome
{
    public OutcomeNotice Notice { get; init; }
    /// <summary>Why the notice was refused (it then did not touch the history); None when accepted.</summary>
    public ValidationErrorCode Rejection { get; init; }

    public bool IsRejected => Rejection != ValidationErrorCode.None;

    internal static void Write(ref LayoutWriter w, in OutcomeNotice n, ValidationErrorCode rejection)
    {
        w.U64(n.EventId);
        w.Bytes16(n.TerminalId.Packed);
        w.Bytes16(n.CardToken.Value);
        w.I64(n.TimestampUtcMs);
        w.U8((byte)n.Kind);
        // DE 39 as its two ASCII characters in order ("05" is 0x30 0x35), i.e. the packed value big-endian.
        w.U8((byte)(n.ResponseCode >> 8));
        w.U8((byte)n.ResponseCode);
        w.U16((ushort)rejection);
    }

    internal static AuditOutcome Read(ref LayoutReader r) => new()
    {
        Notice = new OutcomeNotice
        {
            EventId = r.U64(),
            TerminalId = new TerminalId(r.Bytes16()),
            CardToken = new CardToken(r.Bytes16()),
            TimestampUtcMs = r.I64(),
            Kind = (OutcomeKind)r.U8(),
            ResponseCode = (ushort)((r.U8() << 8) | r.U8()),
        },
        Rejection = (ValidationErrorCode)r.U16(),
    };
}
