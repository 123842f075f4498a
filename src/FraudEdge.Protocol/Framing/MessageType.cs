namespace FraudEdge.Protocol.Framing;

/// <summary>The frame's type byte (docs/protocol.md §2). A received byte may hold an undefined value.</summary>
public enum MessageType : byte
{
    ScoreRequest = 0x01,
    ScoreResponse = 0x02,
    OutcomeNotice = 0x03,
    Ack = 0x04,
    Ping = 0x05,
    Pong = 0x06,
    StatusRequest = 0x07,
    StatusResponse = 0x08,
    Error = 0x7F,
}
