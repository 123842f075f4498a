using System.Buffers;
using System.Buffers.Binary;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>Frame bytes built by hand (not by FrameWriter), and FrameWriter output as arrays.</summary>
internal static class Frames
{
    /// <summary>An independent framing: u32 BE length = 6 + payload, version, type, u32 BE request id, payload.</summary>
    public static byte[] Wrap(MessageType type, uint requestId, byte[] payload, byte version = 1)
    {
        byte[] frame = new byte[10 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(6 + payload.Length));
        frame[4] = version;
        frame[5] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(6), requestId);
        payload.CopyTo(frame, 10);
        return frame;
    }

    public static byte[] Wrap(MessageType type, uint requestId, string payloadHex) => Wrap(type, requestId, Hex.Parse(payloadHex));

    public static byte[] Write<T>(uint requestId, in T message, int maxFrameBytes = ProtocolLimits.DefaultMaxFrameBytes)
        where T : struct, IProtocolMessage<T>
    {
        var output = new ArrayBufferWriter<byte>();
        new FrameWriter(maxFrameBytes).Write(output, requestId, message);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The payload bytes of a one-frame array.</summary>
    public static byte[] PayloadOf(byte[] frame) => frame[FrameCodec.HeaderBytes..];

    /// <summary>Reads exactly one frame that fills <paramref name="bytes"/>, failing the test otherwise.</summary>
    public static Frame ReadOne(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        OperationStatus status = FrameCodec.TryReadFrame(buffer, ProtocolLimits.DefaultMaxFrameBytes, out Frame frame, out SequencePosition consumed, out ProtocolError error);
        Assert.True(status == OperationStatus.Done, $"{status} {error}");
        Assert.Equal(bytes.Length, buffer.GetOffset(consumed));
        return frame;
    }

    public static T Decode<T>(byte[] frameBytes) where T : struct, IProtocolMessage<T>
    {
        Frame frame = ReadOne(frameBytes);
        Assert.Equal(T.Type, frame.Header.Type);
        OperationStatus status = T.TryRead(frame.Payload, out T message, out ProtocolError error);
        Assert.True(status == OperationStatus.Done, $"{typeof(T).Name}: {status} {error}");
        return message;
    }

    public static ProtocolError DecodeError<T>(string payloadHex) where T : struct, IProtocolMessage<T>
    {
        var payload = new ReadOnlySequence<byte>(Hex.Parse(payloadHex));
        OperationStatus status = T.TryRead(payload, out _, out ProtocolError error);
        Assert.True(status == OperationStatus.InvalidData, $"{typeof(T).Name} decoded a payload it should refuse: {payloadHex}");
        Assert.True(error.IsError);
        return error;
    }
}
