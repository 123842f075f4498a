using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FraudEdge.Protocol.Framing;

/// <summary>Reads frames (docs/protocol.md §2) from buffered bytes with the Pipelines TryRead contract.</summary>
public static class FrameCodec
{
    public const byte ProtocolVersion = 1;
    /// <summary>The u32 length prefix.</summary>
    public const int LengthPrefixBytes = 4;
    /// <summary>version + type + request id: the smallest valid length value.</summary>
    public const int HeaderAfterLength = 6;
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderBytes = LengthPrefixBytes + HeaderAfterLength;

    internal const string FrameTooShortMessage = "the frame length is below 6";
    internal const string FrameTooLargeMessage = "the frame length is above the maximum frame size";
    internal const string UnsupportedVersionMessage = "the frame's protocol version is not 1";

    /// <summary>
    /// Done: <paramref name="frame"/> is complete, <paramref name="consumed"/> is just after it.
    /// NeedMoreData: nothing consumed (<paramref name="consumed"/> = buffer.Start); the caller marks buffer.End examined.
    /// InvalidData: <paramref name="error"/> is FrameTooShort, FrameTooLarge or UnsupportedVersion, decided from the
    /// first 4 (length) or 10 (version) bytes before the rest is buffered; frame.Header holds what was read
    /// (request id when 10 bytes were available, else 0).
    /// An undefined type byte is Done: the caller answers UnknownMessageType and the stream stays in step.
    /// </summary>
    public static OperationStatus TryReadFrame(in ReadOnlySequence<byte> buffer, int maxFrameBytes, out Frame frame,
        out SequencePosition consumed, out ProtocolError error)
    {
        // Fast path: the whole header sits in the first segment (always, with one pipe segment per read).
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= HeaderBytes || buffer.IsSingleSegment)
            return Decide(buffer, first, maxFrameBytes, out frame, out consumed, out error);
        return TryReadFrameMultiSegment(buffer, maxFrameBytes, out frame, out consumed, out error);
    }

    /// <summary>The header is split across segments: gather at most 10 bytes on the stack, then decide as usual.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static OperationStatus TryReadFrameMultiSegment(in ReadOnlySequence<byte> buffer, int maxFrameBytes, out Frame frame,
        out SequencePosition consumed, out ProtocolError error)
    {
        Span<byte> head = stackalloc byte[HeaderBytes];
        int available = (int)Math.Min(buffer.Length, HeaderBytes);
        if (available > 0) buffer.Slice(0, available).CopyTo(head); // Slice(0, …) of all-empty segments throws
        return Decide(buffer, head[..available], maxFrameBytes, out frame, out consumed, out error);
    }

    /// <param name="head">The first bytes of <paramref name="buffer"/>: all of them, or at least the first 10.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static OperationStatus Decide(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> head, int maxFrameBytes,
        out Frame frame, out SequencePosition consumed, out ProtocolError error)
    {
        consumed = buffer.Start;
        error = default;
        frame = default;
        if (head.Length < LengthPrefixBytes) return OperationStatus.NeedMoreData;

        // Limits first, on the 4 length bytes alone: a peer announcing 4 GB is refused before we wait for it (§2).
        uint length = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (length < HeaderAfterLength)
            return Refuse(head, length, ProtocolErrorCode.FrameTooShort, FrameTooShortMessage, out frame, out error);
        if (length > maxFrameBytes) // maxFrameBytes < 0 refuses every frame rather than wrapping around
            return Refuse(head, length, ProtocolErrorCode.FrameTooLarge, FrameTooLargeMessage, out frame, out error);
        if (head.Length < HeaderBytes) return OperationStatus.NeedMoreData;

        var header = new FrameHeader(head[4], (MessageType)head[5], BinaryPrimitives.ReadUInt32BigEndian(head[6..]), (int)length);
        if (header.Version != ProtocolVersion)
        {
            frame = new Frame(header, default);
            error = new ProtocolError(ProtocolErrorCode.UnsupportedVersion, UnsupportedVersionMessage);
            return OperationStatus.InvalidData;
        }

        long total = LengthPrefixBytes + (long)length;
        if (buffer.Length < total) return OperationStatus.NeedMoreData;
        frame = new Frame(header, buffer.Slice(HeaderBytes, length - HeaderAfterLength));
        consumed = buffer.GetPosition(total);
        return OperationStatus.Done;
    }

    /// <summary>A length refusal: report whatever of the header is already buffered (the request id helps the peer's logs).</summary>
    private static OperationStatus Refuse(ReadOnlySpan<byte> head, uint length, ProtocolErrorCode code, string message,
        out Frame frame, out ProtocolError error)
    {
        byte version = head.Length > 4 ? head[4] : (byte)0;
        var type = head.Length > 5 ? (MessageType)head[5] : 0;
        uint requestId = head.Length >= HeaderBytes ? BinaryPrimitives.ReadUInt32BigEndian(head[6..]) : 0;
        frame = new Frame(new FrameHeader(version, type, requestId, (int)Math.Min(length, int.MaxValue)), default);
        error = new ProtocolError(code, message);
        return OperationStatus.InvalidData;
    }
}
