using System.Buffers;
using System.Buffers.Binary;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>frame</c>: bytes → a connection's receive buffer. <see cref="FrameCodec.TryReadFrame"/> (max 4096) is
/// called as the service's read loop does, frame after frame, and every Done frame's payload goes to the
/// reader of its type with every check of <see cref="ProtocolOracle"/>.
///
/// Crashes (anything that escapes, plus these oracle checks):
/// - a decision that differs from an independent reading of docs/protocol.md §2 on the same bytes (status,
///   error code, header, bytes consumed): the length checked on 4 bytes, the version on 10, Done only when
///   the whole frame is there;
/// - the same stream cut into segments (sizes taken from the input) giving another decision, or another
///   payload;
/// - NeedMoreData or InvalidData that consumes anything;
/// - the payload checks of <see cref="ProtocolOracle.CheckPayload(MessageType, in ReadOnlySequence{byte})"/>.
/// </summary>
public static class ProtocolFrameTarget
{
    public const string Name = "frame";
    public const int MaxFrames = 256;

    public static void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = input.ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        ReadOnlySequence<byte> pieces = ProtocolOracle.Fragment(bytes);
        int offset = 0;
        for (int i = 0; i < MaxFrames; i++)
        {
            OperationStatus status = FrameCodec.TryReadFrame(buffer, ProtocolOracle.MaxFrameBytes, out Frame frame, out SequencePosition consumed, out ProtocolError error);
            OperationStatus piecewise = FrameCodec.TryReadFrame(pieces, ProtocolOracle.MaxFrameBytes, out Frame frame2, out SequencePosition consumed2, out ProtocolError error2);
            long used = buffer.Slice(buffer.Start, consumed).Length;
            if (piecewise != status || frame2.Header != frame.Header || error2 != error || pieces.Slice(pieces.Start, consumed2).Length != used
                || !frame2.Payload.ToArray().AsSpan().SequenceEqual(frame.Payload.ToArray()))
                throw new FuzzOracleException($"frame {i}: {status} {frame.Header} {error} in one segment but {piecewise} {frame2.Header} {error2} in pieces");

            CheckAgainstSpec(bytes.AsSpan(offset), status, frame.Header, error, used);
            if (status != OperationStatus.Done) return;

            ProtocolOracle.CheckPayload(frame.Header.Type, frame.Payload);
            offset += (int)used;
            buffer = buffer.Slice(consumed);
            pieces = pieces.Slice(consumed2);
        }
    }

    /// <summary>§2 read independently from the raw bytes: what TryReadFrame must have answered.</summary>
    private static void CheckAgainstSpec(ReadOnlySpan<byte> rest, OperationStatus status, FrameHeader header, in ProtocolError error, long used)
    {
        OperationStatus expected;
        ProtocolErrorCode code = ProtocolErrorCode.None;
        long length = rest.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(rest) : -1;
        if (rest.Length < 4) expected = OperationStatus.NeedMoreData;
        else if (length < 6) (expected, code) = (OperationStatus.InvalidData, ProtocolErrorCode.FrameTooShort);
        else if (length > ProtocolOracle.MaxFrameBytes) (expected, code) = (OperationStatus.InvalidData, ProtocolErrorCode.FrameTooLarge);
        else if (rest.Length < 10) expected = OperationStatus.NeedMoreData;
        else if (rest[4] != 1) (expected, code) = (OperationStatus.InvalidData, ProtocolErrorCode.UnsupportedVersion);
        else if (rest.Length < 4 + length) expected = OperationStatus.NeedMoreData;
        else expected = OperationStatus.Done;

        if (status != expected || error.Code != code)
            throw new FuzzOracleException($"TryReadFrame said {status} {error.Code}, §2 says {expected} {code} (length {length}, {rest.Length} bytes buffered)");
        if (used != (expected == OperationStatus.Done ? 4 + length : 0))
            throw new FuzzOracleException($"TryReadFrame consumed {used} bytes on {status}");
        if (rest.Length >= 10 && expected != OperationStatus.NeedMoreData
            && (header.Version != rest[4] || (byte)header.Type != rest[5] || header.RequestId != BinaryPrimitives.ReadUInt32BigEndian(rest[6..])))
            throw new FuzzOracleException($"header {header} does not hold the bytes read");
        if (expected == OperationStatus.Done && header.Length != length)
            throw new FuzzOracleException($"header length {header.Length}, wire length {length}");
    }
}
