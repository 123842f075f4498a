using System.Buffers;

namespace FraudEdge.Client;

/// <summary>
/// A fixed-capacity <see cref="IBufferWriter{T}"/> over one array allocated with the client: the frames of a
/// call (or of one batch window) are written here, then sent with one Send. It never grows: the client checks
/// <see cref="FreeCapacity"/> before each frame, so growing would be a bug, and it throws instead.
/// </summary>
internal sealed class SendBuffer(int capacity) : IBufferWriter<byte>
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _written;

    public int FreeCapacity => _buffer.Length - _written;
    public int WrittenCount => _written;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Reset() => _written = 0;

    public void Advance(int count)
    {
        if ((uint)count > (uint)FreeCapacity)
        {
            ThrowHelper.ThrowSendBufferOverflow();
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (sizeHint > FreeCapacity || FreeCapacity == 0)
        {
            ThrowHelper.ThrowSendBufferOverflow();
        }
    }
}
