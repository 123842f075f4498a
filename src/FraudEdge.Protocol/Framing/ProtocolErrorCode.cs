namespace FraudEdge.Protocol.Framing;

/// <summary>Error codes of docs/protocol.md §5. Numbers are part of the wire contract: append only.</summary>
public enum ProtocolErrorCode : ushort
{
    None = 0,
    FrameTooLarge = 1,
    UnsupportedVersion = 2,
    UnknownMessageType = 3,
    MalformedPayload = 4,
    WrongType = 5,
    MissingField = 6,
    LimitExceeded = 7,
    InvalidEvent = 8,
    ReadTimeout = 10,
    ServerBusy = 11,
    ShuttingDown = 12,
    InternalError = 13,
    UnexpectedMessage = 14,
    FrameTooShort = 15,
    PeerNotAllowed = 16,
    /// <summary>The service is over its memory budget and sheds ScoreRequests; the connection stays open.</summary>
    OverMemoryBudget = 17,
}
