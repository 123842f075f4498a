using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>What every decoder promises for any input; throws (failing the property) when a promise is broken.</summary>
internal static class Contract
{
    private static readonly ProtocolErrorCode[] PayloadCodes =
        [ProtocolErrorCode.MalformedPayload, ProtocolErrorCode.WrongType, ProtocolErrorCode.MissingField, ProtocolErrorCode.LimitExceeded];

    private static readonly ProtocolErrorCode[] FrameCodes =
        [ProtocolErrorCode.FrameTooShort, ProtocolErrorCode.FrameTooLarge, ProtocolErrorCode.UnsupportedVersion];

    /// <summary>TryReadFrame over <paramref name="bytes"/> in one segment and split at <paramref name="split"/> agree and keep the contract.</summary>
    public static OperationStatus CheckFrame(byte[] bytes, int split, out Frame frame)
    {
        ReadOnlySequence<byte> one = Segments.Single(bytes);
        OperationStatus status = FrameCodec.TryReadFrame(one, 4096, out frame, out SequencePosition consumed, out ProtocolError error);
        long consumedBytes = one.GetOffset(consumed);
        switch (status)
        {
            case OperationStatus.Done:
                Assert.False(error.IsError);
                Assert.Equal(4 + frame.Header.Length, consumedBytes);
                Assert.Equal(frame.Header.PayloadLength, frame.Payload.Length);
                break;
            case OperationStatus.NeedMoreData:
                Assert.Equal(0, consumedBytes);
                break;
            case OperationStatus.InvalidData:
                Assert.Contains(error.Code, FrameCodes);
                Assert.Equal(0, consumedBytes);
                break;
            default:
                Assert.Fail($"TryReadFrame returned {status}");
                break;
        }

        ReadOnlySequence<byte> two = Segments.SplitAt(bytes, Math.Clamp(split, 0, bytes.Length));
        Assert.Equal(status, FrameCodec.TryReadFrame(two, 4096, out Frame frame2, out SequencePosition consumed2, out ProtocolError error2));
        Assert.Equal(frame.Header, frame2.Header);
        Assert.Equal(error, error2);
        Assert.Equal(consumedBytes, two.GetOffset(consumed2));
        Assert.Equal(frame.Payload.ToArray(), frame2.Payload.ToArray());
        return status;
    }

    /// <summary>
    /// A payload decodes to Done or InvalidData (never NeedMoreData, never an exception), the same way whether
    /// contiguous or in one-byte segments; what decodes re-encodes to a frame that decodes to the same message.
    /// </summary>
    public static void CheckPayload(MessageType type, byte[] payload)
    {
        Decoded decoded = Decoded.Of(type, Segments.Single(payload));
        Assert.Equal(decoded, Decoded.Of(type, Segments.OneBytePerSegment(payload)));
        if (decoded.Status == OperationStatus.InvalidData)
        {
            Assert.Contains(decoded.Error.Code, PayloadCodes);
            Assert.False(string.IsNullOrEmpty(decoded.Error.Message));
            return;
        }
        Assert.Equal(OperationStatus.Done, decoded.Status);
        Assert.False(decoded.Error.IsError);
        switch (decoded.Message)
        {
            case null: break; // undefined type: no payload reader
            case ScoreRequest m: RoundTrip(m); break;
            case ScoreResponse m: RoundTrip(m); break;
            case OutcomeNotice m: RoundTrip(m); break;
            case Ack m: RoundTrip(m); break;
            case Ping m: RoundTrip(m); break;
            case Pong m: RoundTrip(m); break;
            case StatusRequest m: RoundTrip(m); break;
            case StatusResponse m: RoundTrip(m); break;
            case ErrorResponse m: RoundTrip(m); break;
            default: Assert.Fail($"unexpected {decoded.Message.GetType()}"); break;
        }
    }

    /// <summary>Write → frame → read gives the same message, and writing that again gives the same bytes.</summary>
    public static T RoundTrip<T>(in T message, uint requestId = 0x01020304) where T : struct, IProtocolMessage<T>
    {
        byte[] bytes = Frames.Write(requestId, message);
        Frame frame = Frames.ReadOne(bytes);
        Assert.Equal(new FrameHeader(1, T.Type, requestId, bytes.Length - 4), frame.Header);
        Assert.Equal(OperationStatus.Done, T.TryRead(frame.Payload, out T back, out ProtocolError error));
        Assert.False(error.IsError);
        Assert.Equal(message, back);
        if (message is ScoreResponse a && back is ScoreResponse b) // Equals treats NaN == NaN and 0 == -0: compare bits
            Assert.Equal(BitConverter.SingleToInt32Bits(a.Probability), BitConverter.SingleToInt32Bits(b.Probability));
        Assert.Equal(Hex.Format(bytes), Hex.Format(Frames.Write(requestId, back)));
        return back;
    }
}
