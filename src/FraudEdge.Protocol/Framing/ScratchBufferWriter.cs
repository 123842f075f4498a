using System.Buffers;

namespace FraudEdge.Protocol.Framing;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over a fixed array: <see cref="MessagePack.MessagePackWriter"/> needs the
/// interface, and a class allocated once per <see cref="FrameWriter"/> is the only way to give it one without
/// boxing or growing. Asking for more room than is left is a frame over the maximum: it throws.
/// </summary>
internal sealed class ScratchBufferWriter(byte[] buffer, int maxFrameBytes) : IBufferWriter<byte>
{
    private int position;

    public int Position => position;

    public void Reset(int start) => position = start;

    public void Advance(int count)
    {
        if ((uint)count > (uint)(buffer.Length - position)) ThrowHelper.ThrowFrameTooLarge(maxFrameBytes);
        position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(position, Available(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(position, Available(sizeHint));

    private int Available(int sizeHint)
    {
        int left = buffer.Length - position;
        if (left < Math.Max(sizeHint, 1)) ThrowHelper.ThrowFrameTooLarge(maxFrameBytes);
        return left;
    }
}
