using System.Buffers;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Protocol.Messages;

/// <summary>
/// Maps a <see cref="PayloadFault"/> to the wire code and a constant sentence. Constants only: an error never
/// allocates and never echoes payload bytes (no card data in a log line, PCI DSS req. 3.4). Every sentence fits
/// the 64-byte string limit, so an Error frame carrying it is readable by every peer.
/// </summary>
internal static class PayloadErrors
{
    public static OperationStatus Fail(PayloadFault fault, string field, out ProtocolError error)
    {
        error = For(fault, field);
        return OperationStatus.InvalidData;
    }

    public static ProtocolError For(PayloadFault fault, string field) => fault switch
    {
        PayloadFault.Truncated => new(ProtocolErrorCode.MalformedPayload, "a value is cut short by the end of the payload", field),
        PayloadFault.InvalidCode => new(ProtocolErrorCode.MalformedPayload, "the payload is not valid MessagePack", field),
        PayloadFault.NotAMap => new(ProtocolErrorCode.MalformedPayload, "the payload is not a map", field),
        PayloadFault.BadKey => new(ProtocolErrorCode.MalformedPayload, "a map key is not a non-negative integer", field),
        PayloadFault.DuplicateKey => new(ProtocolErrorCode.MalformedPayload, "a key appears twice in the map", field),
        PayloadFault.TrailingBytes => new(ProtocolErrorCode.MalformedPayload, "bytes are left over after the payload map", field),
        PayloadFault.WrongType => new(ProtocolErrorCode.WrongType, "a value has the wrong type for its key", field),
        PayloadFault.OutOfRange => new(ProtocolErrorCode.WrongType, "an integer is out of its key's range", field),
        PayloadFault.NotAscii16 => new(ProtocolErrorCode.WrongType, "an id is not 1 to 16 printable ASCII characters", field),
        PayloadFault.NotResponseCode => new(ProtocolErrorCode.WrongType, "a response code is not 2 printable ASCII characters", field),
        PayloadFault.NotUtf8 => new(ProtocolErrorCode.WrongType, "a string is not valid UTF-8", field),
        PayloadFault.WrongLength => new(ProtocolErrorCode.WrongType, "a binary value has the wrong length for its key", field),
        PayloadFault.StringTooLong => new(ProtocolErrorCode.LimitExceeded, "a string is longer than 64 bytes", field),
        PayloadFault.BinaryTooLong => new(ProtocolErrorCode.LimitExceeded, "a binary value is longer than 64 bytes", field),
        PayloadFault.TooManyEntries => new(ProtocolErrorCode.LimitExceeded, "a map has more than 64 entries", field),
        PayloadFault.ArrayTooLong => new(ProtocolErrorCode.LimitExceeded, "an array has more than 64 elements", field),
        PayloadFault.TooDeep => new(ProtocolErrorCode.LimitExceeded, "a skipped value is nested deeper than 8 levels", field),
        PayloadFault.Missing => new(ProtocolErrorCode.MissingField, "a required key is missing", field),
        _ => new(ProtocolErrorCode.InternalError, "an unexpected payload fault", field),
    };
}
