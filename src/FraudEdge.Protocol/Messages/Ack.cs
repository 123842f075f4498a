using System.Buffers;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>Ack (0x04), docs/protocol.md §4.4.</summary>
public struct Ack : IProtocolMessage<Ack>
{
    public ulong EventId; // 1

    public static MessageType Type => MessageType.Ack;

    /// <summary>Allocates nothing.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out Ack message, out ProtocolError error)
    {
        message = default;
        error = default;
        var reader = new PayloadReader(payload);
        PayloadFault fault = reader.ReadMapHeader(out int count);
        if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, "", out error);
        for (int i = 0; i < count; i++)
        {
            fault = reader.ReadKey(out ulong key);
            if (fault == PayloadFault.None) fault = key == 1 ? reader.ReadUInt64(out message.EventId) : reader.Skip();
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        if ((reader.SeenKeys & 1UL << 1) == 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName(1), out error);
        return OperationStatus.Done;
    }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(1);
        writer.Write(1);
        writer.Write(EventId);
    }

    internal static string FieldName(ulong key) => key == 1 ? "event_id" : "";
}
