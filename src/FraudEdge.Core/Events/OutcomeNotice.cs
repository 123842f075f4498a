namespace FraudEdge.Core.Events;

/// <summary>
/// Something learned about an earlier event: the issuer's response seconds later, or a fraud report or
/// chargeback days later. Feeds per-card and per-terminal risk in the history, never the past decision.
/// </summary>
public struct OutcomeNotice
{
    /// <summary>The <see cref="TransactionEvent.EventId"/> this notice is about.</summary>
    public ulong EventId;
    public TerminalId TerminalId;
    public CardToken CardToken;
    /// <summary>When the notice arrived, UTC ms.</summary>
    public long TimestampUtcMs;
    public OutcomeKind Kind;
    /// <summary>ISO 8583 DE 39 response code as two ASCII characters packed big-endian ("00" = 0x3030).</summary>
    public ushort ResponseCode;

    public readonly bool IsFraudLabel => Kind is OutcomeKind.FraudReported or OutcomeKind.Chargeback;

    /// <summary>Approved when DE 39 is "00", "08" (honour with id), "10" (partial) or "11" (VIP).</summary>
    public readonly bool IsApproved => Kind == OutcomeKind.IssuerResponse &&
        ResponseCode is 0x3030 or 0x3038 or 0x3130 or 0x3131;

    public static ushort PackResponseCode(ReadOnlySpan<char> code) =>
        code.Length == 2 ? (ushort)((code[0] << 8) | code[1]) : throw new FormatException("DE 39 is two characters.");
}
