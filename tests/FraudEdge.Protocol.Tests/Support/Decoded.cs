using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>What a payload decoded to, boxed so frames of every type can be compared in one list (tests only).</summary>
internal readonly record struct Decoded(OperationStatus Status, object? Message, ProtocolError Error)
{
    public static Decoded Of(MessageType type, in ReadOnlySequence<byte> payload) => type switch
    {
        MessageType.ScoreRequest => Read<ScoreRequest>(payload),
        MessageType.ScoreResponse => Read<ScoreResponse>(payload),
        MessageType.OutcomeNotice => Read<OutcomeNotice>(payload),
        MessageType.Ack => Read<Ack>(payload),
        MessageType.Ping => Read<Ping>(payload),
        MessageType.Pong => Read<Pong>(payload),
        MessageType.StatusRequest => Read<StatusRequest>(payload),
        MessageType.StatusResponse => Read<StatusResponse>(payload),
        MessageType.Error => Read<ErrorResponse>(payload),
        _ => new Decoded(OperationStatus.Done, null, default),
    };

    public static Decoded Read<T>(in ReadOnlySequence<byte> payload) where T : struct, IProtocolMessage<T>
    {
        OperationStatus status = T.TryRead(payload, out T message, out ProtocolError error);
        return new Decoded(status, status == OperationStatus.Done ? message : null, error);
    }

    public static readonly MessageType[] AllTypes =
    [
        MessageType.ScoreRequest, MessageType.ScoreResponse, MessageType.OutcomeNotice, MessageType.Ack, MessageType.Ping,
        MessageType.Pong, MessageType.StatusRequest, MessageType.StatusResponse, MessageType.Error,
    ];
}
