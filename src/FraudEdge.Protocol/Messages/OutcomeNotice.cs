using System.Buffers;
using System.Numerics;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>OutcomeNotice (0x03), docs/protocol.md §4.3.</summary>
public struct OutcomeNotice : IProtocolMessage<OutcomeNotice>
{
    public ulong EventId;            // 1
    public Ascii16Text TerminalId;   // 2
    public UInt128 CardToken;        // 3
    public long TimestampMs;         // 4
    public byte Kind;                // 5
    public ushort ResponseCode;      // 6: two ASCII chars packed big-endian ("00" = 0x3030), 0 when absent

    /// <summary>Kind 1: the issuer's response, the only kind that carries a response code.</summary>
    internal const byte IssuerResponseKind = 1;

    private const ulong RequiredKeys = 0b11_1110;
    private const ulong ResponseCodeKey = 1UL << 6;

    public static MessageType Type => MessageType.OutcomeNotice;

    /// <summary>Allocates nothing: the response code is packed into a ushort.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out OutcomeNotice message, out ProtocolError error)
    {
        message = default;
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
                    case 3: fault = reader.ReadBinary16(out message.CardToken); break;
                    case 4: fault = reader.ReadInt64(out message.TimestampMs); break;
                    case 5: fault = reader.ReadByte(out message.Kind); break;
                    case 6: if (!reader.TryReadNil()) fault = reader.ReadResponseCode(out message.ResponseCode); break;
                    default: fault = reader.Skip(); break;
                }
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        // response_code is required for an issuer response only (§4.3); nil counts as absent.
        if (message.Kind == IssuerResponseKind && message.ResponseCode == 0) missing |= ResponseCodeKey;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((ulong)BitOperations.TrailingZeroCount(missing)), out error);
        return OperationStatus.Done;
    }

    /// <summary>Keys 1–5 always, 6 when a response code is set.</summary>
    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(ResponseCode != 0 ? 6 : 5);
        writer.Write(1);
        writer.Write(EventId);
        writer.Write(2);
        PayloadWriting.WriteAscii16(ref writer, TerminalId);
        writer.Write(3);
        PayloadWriting.WriteBinary16(ref writer, CardToken);
        writer.Write(4);
        writer.Write(TimestampMs);
        writer.Write(5);
        writer.Write(Kind);
        if (ResponseCode != 0)
        {
            writer.Write(6);
            PayloadWriting.WriteResponseCode(ref writer, ResponseCode);
        }
    }

    internal static string FieldName(ulong key) => key switch
    {
        1 => "event_id",
        2 => "terminal_id",
        3 => "card_token",
        4 => "timestamp_ms",
        5 => "kind",
        6 => "response_code",
        _ => "",
    };
}
