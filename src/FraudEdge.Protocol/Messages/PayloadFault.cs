namespace FraudEdge.Protocol.Messages;

/// <summary>Why <see cref="PayloadReader"/> refused a value: finer than the wire code, so the message says what happened.</summary>
internal enum PayloadFault : byte
{
    None,
    // MalformedPayload
    Truncated,
    InvalidCode,
    NotAMap,
    BadKey,
    DuplicateKey,
    TrailingBytes,
    // WrongType
    WrongType,
    OutOfRange,
    NotAscii16,
    NotResponseCode,
    NotUtf8,
    WrongLength,
    // LimitExceeded
    StringTooLong,
    BinaryTooLong,
    TooManyEntries,
    ArrayTooLong,
    TooDeep,
    // MissingField
    Missing,
}
