using System.Buffers;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>StatusRequest (0x07): a map whose keys are ignored, written as the empty map.</summary>
public struct StatusRequest : IProtocolMessage<StatusRequest>
{
    public static MessageType Type => MessageType.StatusRequest;

    /// <summary>Any map within the limits of §3 (keys and values skipped); anything else is MalformedPayload.</summary>
    public static OperationStatus TryRead(in ReadOnlySequence<byte> payload, out StatusRequest message, out ProtocolError error)
    {
        message = default;
        return PayloadReader.TryReadIgnoredMap(payload, out error);
    }

    public readonly void Write(ref MessagePackWriter writer) => writer.WriteMapHeader(0);
}
