using System.Buffers;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>Error (0x7F), docs/protocol.md §5.</summary>
public struct ErrorResponse : IProtocolMessage<ErrorResponse>
{
    public ProtocolErrorCode Code;  // 1
    public string Message;          // 2
    public string Field;            // 3, "" = absent
    public ushort Detail;           // 4, 0 = absent

    private const ulong RequiredKeys = 0b110;

    public static MessageType Type => MessageType.Error;

    /// <summary>Any u16 code is accepted (a newer service may send codes this build does not name, §7).</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out ErrorResponse message, out ProtocolError error)
    {
        message = default;
        message.Message = message.Field = "";
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
                    case 1:
                        fault = reader.ReadUInt16(out ushort code);
                        message.Code = (ProtocolErrorCode)code;
                        break;
                    case 2: fault = reader.ReadUtf8String(out message.Message); break;
                    case 3: if (!reader.TryReadNil()) fault = reader.ReadUtf8String(out message.Field); break;
                    case 4: if (!reader.TryReadNil()) fault = reader.ReadUInt16(out message.Detail); break;
                    default: fault = reader.Skip(); break;
                }
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((missing & 0b10) != 0 ? 1UL : 2UL), out error);
        return OperationStatus.Done;
    }

    /// <summary>Keys 1, 2; 3 when a field is named, 4 when a detail is set. Throws ArgumentException for a string over 64 UTF-8 bytes.</summary>
    public readonly void Write(ref MessagePackWriter writer)
    {
        bool hasField = !string.IsNullOrEmpty(Field);
        writer.WriteMapHeader(2 + (hasField ? 1 : 0) + (Detail != 0 ? 1 : 0));
        writer.Write(1);
        writer.Write((ushort)Code);
        writer.Write(2);
        PayloadWriting.WriteText(ref writer, Message, "message");
        if (hasField)
        {
            writer.Write(3);
            PayloadWriting.WriteText(ref writer, Field, "field");
        }
        if (Detail != 0)
        {
            writer.Write(4);
            writer.Write(Detail);
        }
    }

    internal static string FieldName(ulong key) => key switch
    {
        1 => "code",
        2 => "message",
        3 => "field",
        4 => "detail",
        _ => "",
    };
}
