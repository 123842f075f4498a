using System.Buffers;
using System.Text;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// The checks shared by the protocol targets. A message reader must be total (Done or InvalidData with a
/// payload error code and a constant message that fits an Error frame), must give the same answer when the
/// payload arrives in pieces, and — the slow oracle — whatever it accepts must re-encode with
/// <see cref="FrameWriter"/> into a frame that reads back as an equal message and re-encodes to the same bytes.
/// </summary>
public static class ProtocolOracle
{
    public const int MaxFrameBytes = ProtocolLimits.DefaultMaxFrameBytes;

    // One per thread: the replay and random-run tests call the targets from parallel test classes.
    [ThreadStatic] private static FrameWriter? writer;
    [ThreadStatic] private static ArrayBufferWriter<byte>? output;

    /// <summary>Runs the reader of <paramref name="type"/> (an undefined type has none: nothing to check).</summary>
    public static void CheckPayload(MessageType type, in ReadOnlySequence<byte> payload)
    {
        switch (type)
        {
            case MessageType.ScoreRequest: CheckPayload<ScoreRequest>(payload); break;
            case MessageType.ScoreResponse: CheckPayload<ScoreResponse>(payload); break;
            case MessageType.OutcomeNotice: CheckPayload<OutcomeNotice>(payload); break;
            case MessageType.Ack: CheckPayload<Ack>(payload); break;
            case MessageType.Ping: CheckPayload<Ping>(payload); break;
            case MessageType.Pong: CheckPayload<Pong>(payload); break;
            case MessageType.StatusRequest: CheckPayload<StatusRequest>(payload); break;
            case MessageType.StatusResponse: CheckPayload<StatusResponse>(payload); break;
            case MessageType.Error: CheckPayload<ErrorResponse>(payload); break;
        }
    }

    public static void CheckPayload<T>(in ReadOnlySequence<byte> payload) where T : struct, IProtocolMessage<T>
    {
        OperationStatus status = T.TryRead(payload, out T message, out ProtocolError error);
        CheckOutcome<T>(status, error);

        // The same bytes in pieces (a pipe's segments) must decode identically.
        ReadOnlySequence<byte> pieces = Fragment(payload.ToArray());
        OperationStatus again = T.TryRead(pieces, out T messageAgain, out ProtocolError errorAgain);
        if (again != status || errorAgain != error || (status == OperationStatus.Done && !Same(message, messageAgain)))
            throw new FuzzOracleException($"{typeof(T).Name}: {status} {error} in one segment but {again} {errorAgain} in pieces");

        if (status == OperationStatus.Done) RoundTrip(message);
    }

    /// <summary>Write → read → equal, and writing the read message again gives the same bytes.</summary>
    public static void RoundTrip<T>(in T message) where T : struct, IProtocolMessage<T>
    {
        const uint RequestId = 0xF022_0001;
        FrameWriter frames = writer ??= new FrameWriter(MaxFrameBytes);
        ArrayBufferWriter<byte> buffer = output ??= new ArrayBufferWriter<byte>(2 * MaxFrameBytes);
        buffer.ResetWrittenCount();
        frames.Write(buffer, RequestId, message);
        byte[] first = buffer.WrittenSpan.ToArray();

        var written = new ReadOnlySequence<byte>(first);
        OperationStatus status = FrameCodec.TryReadFrame(written, MaxFrameBytes, out Frame frame, out SequencePosition consumed, out ProtocolError error);
        if (status != OperationStatus.Done || written.Slice(consumed).Length != 0)
            throw new FuzzOracleException($"{typeof(T).Name}: a written frame reads back as {status} {error}");
        if (frame.Header != new FrameHeader(FrameCodec.ProtocolVersion, T.Type, RequestId, first.Length - FrameCodec.LengthPrefixBytes))
            throw new FuzzOracleException($"{typeof(T).Name}: a written frame has header {frame.Header}");

        status = T.TryRead(frame.Payload, out T back, out error);
        if (status != OperationStatus.Done)
            throw new FuzzOracleException($"{typeof(T).Name}: an accepted message, written back, is refused: {error}");
        if (!Same(message, back))
            throw new FuzzOracleException($"{typeof(T).Name}: an accepted message, written and read back, differs");

        buffer.ResetWrittenCount();
        frames.Write(buffer, RequestId, back);
        if (!buffer.WrittenSpan.SequenceEqual(first))
            throw new FuzzOracleException($"{typeof(T).Name}: writing the re-read message gives different bytes");
    }

    private static readonly ProtocolErrorCode[] PayloadCodes =
        [ProtocolErrorCode.MalformedPayload, ProtocolErrorCode.WrongType, ProtocolErrorCode.MissingField, ProtocolErrorCode.LimitExceeded];

    private static void CheckOutcome<T>(OperationStatus status, in ProtocolError error)
    {
        if (status == OperationStatus.Done)
        {
            if (error.IsError) throw new FuzzOracleException($"{typeof(T).Name}: Done with error {error.Code}");
            return;
        }
        if (status != OperationStatus.InvalidData)
            throw new FuzzOracleException($"{typeof(T).Name}: a complete payload gave {status}");
        if (Array.IndexOf(PayloadCodes, error.Code) < 0)
            throw new FuzzOracleException($"{typeof(T).Name}: refused with code {error.Code}, not a payload error");
        if (string.IsNullOrEmpty(error.Message) || Encoding.UTF8.GetByteCount(error.Message) > ProtocolLimits.MaxStringBytes || error.Field is null)
            throw new FuzzOracleException($"{typeof(T).Name}: refusal {error.Code} without a message that fits an Error frame");
    }

    /// <summary>Field-by-field equality (the structs do not implement IEquatable: ValueType.Equals, NaN equal to NaN).</summary>
    private static bool Same<T>(in T a, in T b) where T : struct => EqualityComparer<T>.Default.Equals(a, b);

    /// <summary>
    /// Cuts <paramref name="bytes"/> into segments whose sizes come from the bytes themselves (1–16), so
    /// every boundary a pipe could produce is reached by some input; very long inputs in 4 KiB pieces.
    /// </summary>
    internal static ReadOnlySequence<byte> Fragment(byte[] bytes)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(bytes.AsMemory(0, 0), 0);
        Segment last = first;
        int position = 0;
        while (position < bytes.Length)
        {
            int size = bytes.Length > 64 * 1024 ? 4096 : 1 + (bytes[position] + position) % 16;
            size = Math.Min(size, bytes.Length - position);
            last = last.Append(bytes.AsMemory(position, size));
            position += size;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
