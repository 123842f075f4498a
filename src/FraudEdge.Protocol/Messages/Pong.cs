using System.Buffers;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>Pong (0x06), docs/protocol.md §4.5.</summary>
public struct Pong : IProtocolMessage<Pong>
{
    public uint ProtocolVersion; // 1
    public ulong UptimeMs;       // 2

    private const ulong RequiredKeys = 0b110;

    public static MessageType Type => MessageType.Pong;

    /// <summary>Allocates nothing.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out Pong message, out ProtocolError error)
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
                fault = key switch
                {
                    1 => reader.ReadUInt32(out message.ProtocolVersion),
                    2 => reader.ReadUInt64(out message.UptimeMs),
                    _ => reader.Skip(),
                };
            }
            if (fault != PayloadFault.None) return PayloadErrors.Fail(fault, FieldName(key), out error);
        }
        if (!reader.End) return PayloadErrors.Fail(PayloadFault.TrailingBytes, "", out error);
        ulong missing = RequiredKeys & ~reader.SeenKeys;
        if (missing != 0) return PayloadErrors.Fail(PayloadFault.Missing, FieldName((missing & 0b10) != 0 ? 1UL : 2UL), out error);
        return OperationStatus.Done;
    }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write(1);
        writer.Write(ProtocolVersion);
        writer.Write(2);
        writer.Write(UptimeMs);
    }

    internal static string FieldName(ulong key) => key switch
    {
        1 => "protocol_version",
        2 => "uptime_ms",
        _ => "",
    };
}
