using System.Buffers;
using System.Numerics;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>ScoreRequest (0x01), docs/protocol.md §4.1. Field numbers in comments are the wire keys.</summary>
public struct ScoreRequest : IProtocolMessage<ScoreRequest>
{
    public ulong EventId;               // 1
    public Ascii16Text TerminalId;      // 2
    public Ascii16Text MerchantId;      // 3
    public ushort Lane;                 // 4
    public uint OperatorId;             // 5
    public long TimestampMs;            // 6
    public short LocalOffsetMinutes;    // 7
    public byte Kind;                   // 8
    public long AmountMinor;            // 9
    public long CashbackMinor;          // 10
    public ushort Currency;             // 11
    public ushort MerchantCategoryCode; // 12
    public ushort TerminalCountry;      // 13
    public UInt128 CardToken;           // 14, 16 bytes big-endian
    public uint Bin;                    // 15
    public ushort LastFour;             // 16
    public byte Scheme;                 // 17
    public byte CardType;               // 18
    public ushort IssuerCountry;        // 19
    public ushort ExpiryYyMm;           // 20
    public ushort ServiceCode;          // 21
    public byte EntryMode;              // 22
    public byte Cvm;                    // 23
    public ushort Atc;                  // 24
    public bool HasAtc;                 //    true when key 24 was present and not nil
    public ulong Tvr;                   // 25, 5 bytes big-endian in the low 40 bits
    public byte Cryptogram;             // 26
    public bool Attended;               // 27, default true

    /// <summary>event_id, terminal_id, merchant_id, timestamp_ms, kind, amount_minor, currency, mcc, terminal_country,
    /// card_token, bin, last_four, entry_mode, cvm (§4.1 "req. yes").</summary>
    private const ulong RequiredKeys =
        1UL << 1 | 1UL << 2 | 1UL << 3 | 1UL << 6 | 1UL << 8 | 1UL << 9 | 1UL << 11 | 1UL << 12 | 1UL << 13
        | 1UL << 14 | 1UL << 15 | 1UL << 16 | 1UL << 22 | 1UL << 23;

    public static MessageType Type => MessageType.ScoreRequest;

    /// <summary>Allocates nothing: ids are packed into <see cref="Ascii16Text"/>, errors are constants.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out ScoreRequest message, out ProtocolError error)
    {
        message = default;
        message.Attended = true;
        error = default;
        var reader = new PayloadReader(payload);
        PayloadFault fault = reader.ReadMapHeader(out int count);
        if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, "", out error);
        for (int i = 0; i < count; i++)
        {
            fault = reader.ReadKey(out ulong key);
            if (fault == PayloadFault.None)
            {
                switch (key)
                {
                    case 1: fault = reader.ReadUInt64(out message.EventId); break;
                    case 2: fault = reader.ReadAscii16(out message.TerminalId); break;
                    case 3: fault = reader.ReadAscii16(out message.MerchantId); break;
                    case 4: if (!reader.TryReadNil()) fault = reader.ReadUInt16(out message.Lane); break;
                    case 5: if (!reader.TryReadNil()) fault = reader.ReadUInt32(out message.OperatorId); break;
                    case 6: fault = reader.ReadInt64(out message.TimestampMs); break;
                    case 7: if (!reader.TryReadNil()) fault = reader.ReadInt16(out message.LocalOffsetMinutes); break;
                    case 8: fault = reader.ReadByte(out message.Kind); break;
                    case 9: fault = reader.ReadInt64(out message.AmountMinor); break;
                    case 10: if (!reader.TryReadNil()) fault = reader.ReadInt64(out message.CashbackMinor); break;
                    case 11: fault = reader.ReadUInt16(out message.Currency); break;
                    case 12: fault = reader.ReadUInt16(out message.MerchantCategoryCode); break;
                    case 13: fault = reader.ReadUInt16(out message.TerminalCountry); break;
                    case 14: fault = reader.ReadBinary16(out message.CardToken); break;
                    case 15: fault = reader.ReadUInt32(out message.Bin); break;
                    case 16: fault = reader.ReadUInt16(out message.LastFour); break;
                    case 17: if (!reader.TryReadNil()) fault = reader.ReadByte(out message.Scheme); break;
                    case 18: if (!reader.TryReadNil()) fault = reader.ReadByte(out message.CardType); break;
                    case 19: if (!reader.TryReadNil()) fault = reader.ReadUInt16(out message.IssuerCountry); break;
                    case 20: if (!reader.TryReadNil()) fault = reader.ReadUInt16(out message.ExpiryYyMm); break;
                    case 21: if (!reader.TryReadNil()) fault = reader.ReadUInt16(out message.ServiceCode); break;
                    case 22: fault = reader.ReadByte(out message.EntryMode); break;
                    case 23: fault = reader.ReadByte(out message.Cvm); break;
                    case 24:
                        if (!reader.TryReadNil())
                        {
                            fault = reader.ReadUInt16(out message.Atc);
                            message.HasAtc = fault == PayloadFault.None;
                        }
                        break;
                    case 25: if (!reader.TryReadNil()) fault = reader.ReadBinary5(out message.Tvr); break;
                    case 26: if (!reader.TryReadNil()) fault = reader.ReadByte(out message.Cryptogram); break;
                    case 27: if (!reader.TryReadNil()) fault = reader.ReadBoolean(out message.Attended); break;
                    default: fault = reader.Skip(); break; // a newer peer's optional key (§7)
                }
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((ulong)BitOperations.TrailingZeroCount(missing)), out error);
        return OperationStatus.Done;
    }

    /// <summary>Keys in ascending order; optional keys only when they differ from the default a reader assumes.</summary>
    public readonly void Write(ref MessagePackWriter writer)
    {
        int count = 14
            + (Lane != 0 ? 1 : 0) + (OperatorId != 0 ? 1 : 0) + (LocalOffsetMinutes != 0 ? 1 : 0) + (CashbackMinor != 0 ? 1 : 0)
            + (Scheme != 0 ? 1 : 0) + (CardType != 0 ? 1 : 0) + (IssuerCountry != 0 ? 1 : 0) + (ExpiryYyMm != 0 ? 1 : 0)
            + (ServiceCode != 0 ? 1 : 0) + (HasAtc ? 1 : 0) + (Tvr != 0 ? 1 : 0) + (Cryptogram != 0 ? 1 : 0) + (Attended ? 0 : 1);
        writer.WriteMapHeader(count);
        writer.Write(1);
        writer.Write(EventId);
        writer.Write(2);
        PayloadWriting.WriteAscii16(ref writer, TerminalId);
        writer.Write(3);
        PayloadWriting.WriteAscii16(ref writer, MerchantId);
        if (Lane != 0) { writer.Write(4); writer.Write(Lane); }
        if (OperatorId != 0) { writer.Write(5); writer.Write(OperatorId); }
        writer.Write(6);
        writer.Write(TimestampMs);
        if (LocalOffsetMinutes != 0) { writer.Write(7); writer.Write(LocalOffsetMinutes); }
        writer.Write(8);
        writer.Write(Kind);
        writer.Write(9);
        writer.Write(AmountMinor);
        if (CashbackMinor != 0) { writer.Write(10); writer.Write(CashbackMinor); }
        writer.Write(11);
        writer.Write(Currency);
        writer.Write(12);
        writer.Write(MerchantCategoryCode);
        writer.Write(13);
        writer.Write(TerminalCountry);
        writer.Write(14);
        PayloadWriting.WriteBinary16(ref writer, CardToken);
        writer.Write(15);
        writer.Write(Bin);
        writer.Write(16);
        writer.Write(LastFour);
        if (Scheme != 0) { writer.Write(17); writer.Write(Scheme); }
        if (CardType != 0) { writer.Write(18); writer.Write(CardType); }
        if (IssuerCountry != 0) { writer.Write(19); writer.Write(IssuerCountry); }
        if (ExpiryYyMm != 0) { writer.Write(20); writer.Write(ExpiryYyMm); }
        if (ServiceCode != 0) { writer.Write(21); writer.Write(ServiceCode); }
        writer.Write(22);
        writer.Write(EntryMode);
        writer.Write(23);
        writer.Write(Cvm);
        if (HasAtc) { writer.Write(24); writer.Write(Atc); }
        if (Tvr != 0) { writer.Write(25); PayloadWriting.WriteBinary5(ref writer, Tvr); }
        if (Cryptogram != 0) { writer.Write(26); writer.Write(Cryptogram); }
        if (!Attended) { writer.Write(27); writer.Write(false); }
    }

    /// <summary>The doc's key names (§4.1), for <see cref="ProtocolError.Field"/>; "" for unknown keys.</summary>
    internal static string FieldName(ulong key) => key switch
    {
        1 => "event_id",
        2 => "terminal_id",
        3 => "merchant_id",
        4 => "lane",
        5 => "operator_id",
        6 => "timestamp_ms",
        7 => "local_offset_min",
        8 => "kind",
        9 => "amount_minor",
        10 => "cashback_minor",
        11 => "currency",
        12 => "mcc",
        13 => "terminal_country",
        14 => "card_token",
        15 => "bin",
        16 => "last_four",
        17 => "scheme",
        18 => "card_type",
        19 => "issuer_country",
        20 => "expiry_yymm",
        21 => "service_code",
        22 => "entry_mode",
        23 => "cvm",
        24 => "atc",
        25 => "tvr",
        26 => "cryptogram",
        27 => "attended",
        _ => "",
    };
}
