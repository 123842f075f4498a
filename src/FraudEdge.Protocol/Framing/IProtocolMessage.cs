using System.Buffers;
using MessagePack;

namespace FraudEdge.Protocol.Framing;

/// <summary>A v1 message: its type byte, a reader over a complete payload and a writer.</summary>
public interface IProtocolMessage<TSelf> where TSelf : struct, IProtocolMessage<TSelf>
{
    static abstract MessageType Type { get; }

    /// <summary>Done or InvalidData (the payload is complete, so never NeedMoreData). Never throws.</summary>
    static abstract OperationStatus TryRead(in ReadOnlySequence<byte> payload, out TSelf message, out ProtocolError error);

    void Write(ref MessagePackWriter writer);
}
