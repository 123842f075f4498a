using System.Buffers.Binary;
using FraudEdge.Core.Events;

namespace FraudEdge.Fuzz;

/// <summary>
/// The fuzzers' byte layout of a <see cref="TransactionEvent"/> and an <see cref="OutcomeNotice"/>:
/// field by field, little-endian integers, identifiers as 16 big-endian bytes (the packing
/// <see cref="TerminalId"/> / <see cref="MerchantId"/> use, so ASCII ids stay readable in corpus files).
/// Every field is read raw, with no range check: enum values outside their enum, BIN lengths of 200, all-zero
/// ids all reach <see cref="EventValidator"/>, which must refuse them — the harness never pre-filters.
/// A field-by-field reader rather than MemoryMarshal over the struct because the struct has padding and
/// bools: raw bytes would make bools holding 2..255, a value no decoder (MessagePack or otherwise) produces.
///
/// <code>
/// event (125 bytes)                                   outcome notice (51 bytes)
///  off size field                                      off size field
///    0   8 u64 event_id                                  0   8 u64 event_id
///    8  16 terminal_id (u128 BE)                          8  16 terminal_id (u128 BE)
///   24  16 merchant_id (u128 BE)                         24  16 card_token (u128 BE)
///   40   2 u16 lane                                      40   8 i64 timestamp_utc_ms
///   42   4 u32 operator_id                               48   1 u8  kind (OutcomeKind)
///   46   8 i64 timestamp_utc_ms                          49   2 u16 response_code (DE 39, BE ASCII pair)
///   54   2 i16 local_offset_minutes
///   56   1 u8  kind (TransactionKind)
///   57   8 i64 amount_minor
///   65   8 i64 cashback_minor
///   73   2 u16 currency      75 2 u16 mcc      77 2 u16 terminal_country
///   79  16 card_token (u128 BE)
///   95   4 u32 bin_digits    99 1 u8 bin_length
///  100   2 u16 last_four    102 1 u8 scheme   103 1 u8 card_type
///  104   2 u16 issuer_country  106 2 u16 expiry_yymm  108 2 u16 service_code
///  110   1 u8  entry_mode   111 1 u8 cvm
///  112   2 u16 atc          114 1 u8 has_atc (≠0 = true)
///  115   8 u64 tvr          123 1 u8 cryptogram       124 1 u8 attended (≠0 = true)
/// </code>
/// </summary>
public static class EventLayout
{
    public const int EventSize = 125;
    public const int NoticeSize = 51;

    public static bool TryReadEvent(ref ReadOnlySpan<byte> input, out TransactionEvent evt)
    {
        evt = default;
        if (input.Length < EventSize) return false;
        ReadOnlySpan<byte> b = input[..EventSize];
        evt.EventId = BinaryPrimitives.ReadUInt64LittleEndian(b);
        evt.TerminalId = new TerminalId(BinaryPrimitives.ReadUInt128BigEndian(b[8..]));
        evt.MerchantId = new MerchantId(BinaryPrimitives.ReadUInt128BigEndian(b[24..]));
        evt.Lane = BinaryPrimitives.ReadUInt16LittleEndian(b[40..]);
        evt.OperatorId = BinaryPrimitives.ReadUInt32LittleEndian(b[42..]);
        evt.TimestampUtcMs = BinaryPrimitives.ReadInt64LittleEndian(b[46..]);
        evt.LocalOffsetMinutes = BinaryPrimitives.ReadInt16LittleEndian(b[54..]);
        evt.Kind = (TransactionKind)b[56];
        evt.AmountMinor = BinaryPrimitives.ReadInt64LittleEndian(b[57..]);
        evt.CashbackMinor = BinaryPrimitives.ReadInt64LittleEndian(b[65..]);
        evt.CurrencyCode = BinaryPrimitives.ReadUInt16LittleEndian(b[73..]);
        evt.MerchantCategoryCode = BinaryPrimitives.ReadUInt16LittleEndian(b[75..]);
        evt.TerminalCountry = BinaryPrimitives.ReadUInt16LittleEndian(b[77..]);
        evt.CardToken = new CardToken(BinaryPrimitives.ReadUInt128BigEndian(b[79..]));
        evt.Bin = new Bin(BinaryPrimitives.ReadUInt32LittleEndian(b[95..]), b[99]);
        evt.LastFour = BinaryPrimitives.ReadUInt16LittleEndian(b[100..]);
        evt.Scheme = (CardScheme)b[102];
        evt.CardType = (CardType)b[103];
        evt.IssuerCountry = BinaryPrimitives.ReadUInt16LittleEndian(b[104..]);
        evt.ExpiryYyMm = BinaryPrimitives.ReadUInt16LittleEndian(b[106..]);
        evt.ServiceCode = BinaryPrimitives.ReadUInt16LittleEndian(b[108..]);
        evt.EntryMode = (EntryMode)b[110];
        evt.Cvm = (CardholderVerification)b[111];
        evt.Atc = BinaryPrimitives.ReadUInt16LittleEndian(b[112..]);
        evt.HasAtc = b[114] != 0;
        evt.Tvr = (TerminalVerificationResults)BinaryPrimitives.ReadUInt64LittleEndian(b[115..]);
        evt.Cryptogram = (CryptogramType)b[123];
        evt.Attended = b[124] != 0;
        input = input[EventSize..];
        return true;
    }

    public static void WriteEvent(in TransactionEvent evt, Span<byte> b)
    {
        b = b[..EventSize];
        BinaryPrimitives.WriteUInt64LittleEndian(b, evt.EventId);
        BinaryPrimitives.WriteUInt128BigEndian(b[8..], evt.TerminalId.Packed);
        BinaryPrimitives.WriteUInt128BigEndian(b[24..], evt.MerchantId.Packed);
        BinaryPrimitives.WriteUInt16LittleEndian(b[40..], evt.Lane);
        BinaryPrimitives.WriteUInt32LittleEndian(b[42..], evt.OperatorId);
        BinaryPrimitives.WriteInt64LittleEndian(b[46..], evt.TimestampUtcMs);
        BinaryPrimitives.WriteInt16LittleEndian(b[54..], evt.LocalOffsetMinutes);
        b[56] = (byte)evt.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(b[57..], evt.AmountMinor);
        BinaryPrimitives.WriteInt64LittleEndian(b[65..], evt.CashbackMinor);
        BinaryPrimitives.WriteUInt16LittleEndian(b[73..], evt.CurrencyCode);
        BinaryPrimitives.WriteUInt16LittleEndian(b[75..], evt.MerchantCategoryCode);
        BinaryPrimitives.WriteUInt16LittleEndian(b[77..], evt.TerminalCountry);
        BinaryPrimitives.WriteUInt128BigEndian(b[79..], evt.CardToken.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(b[95..], evt.Bin.Digits);
        b[99] = evt.Bin.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(b[100..], evt.LastFour);
        b[102] = (byte)evt.Scheme;
        b[103] = (byte)evt.CardType;
        BinaryPrimitives.WriteUInt16LittleEndian(b[104..], evt.IssuerCountry);
        BinaryPrimitives.WriteUInt16LittleEndian(b[106..], evt.ExpiryYyMm);
        BinaryPrimitives.WriteUInt16LittleEndian(b[108..], evt.ServiceCode);
        b[110] = (byte)evt.EntryMode;
        b[111] = (byte)evt.Cvm;
        BinaryPrimitives.WriteUInt16LittleEndian(b[112..], evt.Atc);
        b[114] = evt.HasAtc ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64LittleEndian(b[115..], (ulong)evt.Tvr);
        b[123] = (byte)evt.Cryptogram;
        b[124] = evt.Attended ? (byte)1 : (byte)0;
    }

    public static bool TryReadNotice(ref ReadOnlySpan<byte> input, out OutcomeNotice notice)
    {
        notice = default;
        if (input.Length < NoticeSize) return false;
        ReadOnlySpan<byte> b = input[..NoticeSize];
        notice.EventId = BinaryPrimitives.ReadUInt64LittleEndian(b);
        notice.TerminalId = new TerminalId(BinaryPrimitives.ReadUInt128BigEndian(b[8..]));
        notice.CardToken = new CardToken(BinaryPrimitives.ReadUInt128BigEndian(b[24..]));
        notice.TimestampUtcMs = BinaryPrimitives.ReadInt64LittleEndian(b[40..]);
        notice.Kind = (OutcomeKind)b[48];
        notice.ResponseCode = BinaryPrimitives.ReadUInt16BigEndian(b[49..]);
        input = input[NoticeSize..];
        return true;
    }

    public static void WriteNotice(in OutcomeNotice notice, Span<byte> b)
    {
        b = b[..NoticeSize];
        BinaryPrimitives.WriteUInt64LittleEndian(b, notice.EventId);
        BinaryPrimitives.WriteUInt128BigEndian(b[8..], notice.TerminalId.Packed);
        BinaryPrimitives.WriteUInt128BigEndian(b[24..], notice.CardToken.Value);
        BinaryPrimitives.WriteInt64LittleEndian(b[40..], notice.TimestampUtcMs);
        b[48] = (byte)notice.Kind;
        BinaryPrimitives.WriteUInt16BigEndian(b[49..], notice.ResponseCode);
    }
}
