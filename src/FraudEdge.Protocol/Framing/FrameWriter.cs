using System.Buffers;
using System.Buffers.Binary;
using FraudEdge.Protocol.Messages;
using MessagePack;

namespace FraudEdge.Protocol.Framing;

/// <summary>
/// Writes whole frames. Owns a scratch buffer of the maximum frame size, allocated once, so a frame is
/// encoded, its length known, and then copied to the output in one piece: no allocation per frame.
/// Not thread-safe: one per connection.
/// </summary>
public sealed class FrameWriter
{
    /// <summary>Frames are a few hundred bytes; a configured maximum above this is a mistake, not a need.</summary>
    internal const int MaxConfigurableFrameBytes = 1 << 24;

    private readonly int maxFrameBytes;
    private readonly byte[] scratch;
    private readonly ScratchBufferWriter payloadWriter;

    public FrameWriter(int maxFrameBytes = ProtocolLimits.DefaultMaxFrameBytes)
    {
        if (maxFrameBytes < FrameCodec.HeaderAfterLength || maxFrameBytes > MaxConfigurableFrameBytes)
            ThrowHelper.ThrowMaxFrameBytesOutOfRange(maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
        // length counts from the version byte, so a whole frame is the 4-byte prefix plus at most maxFrameBytes.
        scratch = new byte[FrameCodec.LengthPrefixBytes + maxFrameBytes];
        payloadWriter = new ScratchBufferWriter(scratch, maxFrameBytes);
    }

    /// <summary>Encodes one frame into <paramref name="output"/>. Throws InvalidOperationException if it would exceed the max frame size.</summary>
    public void Write<TMessage>(IBufferWriter<byte> output, uint requestId, in TMessage message)
        where TMessage : struct, IProtocolMessage<TMessage>
    {
        ArgumentNullException.ThrowIfNull(output);
        // The payload goes straight after the header's place in the scratch; its length is known only afterwards.
        payloadWriter.Reset(FrameCodec.HeaderBytes);
        var writer = new MessagePackWriter(payloadWriter);
        message.Write(ref writer);
        writer.Flush();

        int total = payloadWriter.Position;
        int length = total - FrameCodec.LengthPrefixBytes;
        if (length > maxFrameBytes) ThrowHelper.ThrowFrameTooLarge(maxFrameBytes);
        Span<byte> header = scratch.AsSpan(0, FrameCodec.HeaderBytes);
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
        header[4] = FrameCodec.ProtocolVersion;
        header[5] = (byte)TMessage.Type;
        BinaryPrimitives.WriteUInt32BigEndian(header[6..], requestId);

        Span<byte> destination = output.GetSpan(total);
        scratch.AsSpan(0, total).CopyTo(destination);
        output.Advance(total);
    }

    /// <summary>An Error frame (§5) for a refusal.</summary>
    public void WriteError(IBufferWriter<byte> output, uint requestId, in ProtocolError error, ushort detail = 0)
    {
        var response = new ErrorResponse
        {
            Code = error.Code,
            Message = error.Message ?? "",
            Field = error.Field ?? "",
            Detail = detail,
        };
        Write(output, requestId, response);
    }
}
