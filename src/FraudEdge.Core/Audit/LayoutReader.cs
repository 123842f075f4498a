using System.Buffers.Binary;

namespace FraudEdge.Core.Audit;

/// <summary>Reads fixed little-endian fields one after another; the caller checked the length first.</summary>
internal ref struct LayoutReader
{
    private readonly ReadOnlySpan<byte> _buffer;

    public LayoutReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        Offset = 0;
    }

    public int Offset { get; private set; }

    public byte U8() => _buffer[Offset++];

    public bool Bool() => _buffer[Offset++] != 0;

    public ushort U16()
    {
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[Offset..]);
        Offset += 2;
        return v;
    }

    public short I16()
    {
        short v = BinaryPrimitives.ReadInt16LittleEndian(_buffer[Offset..]);
        Offset += 2;
        return v;
    }

    public uint U32()
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[Offset..]);
        Offset += 4;
        return v;
    }

    public int I32()
    {
        int v = BinaryPrimitives.ReadInt32LittleEndian(_buffer[Offset..]);
        Offset += 4;
        return v;
    }

    public ulong U64()
    {
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[Offset..]);
        Offset += 8;
        return v;
    }

    public long I64()
    {
        long v = BinaryPrimitives.ReadInt64LittleEndian(_buffer[Offset..]);
        Offset += 8;
        return v;
    }

    public UInt128 Bytes16()
    {
        UInt128 v = BinaryPrimitives.ReadUInt128BigEndian(_buffer[Offset..]);
        Offset += 16;
        return v;
    }

    public AuditHash Hash()
    {
        AuditHash v = AuditHash.Read(_buffer[Offset..]);
        Offset += AuditHash.Size;
        return v;
    }

    public ReadOnlySpan<byte> Raw(int count)
    {
        ReadOnlySpan<byte> v = _buffer.Slice(Offset, count);
        Offset += count;
        return v;
    }

    /// <summary>The text of a u8-length + fixed-capacity field (a length beyond the capacity is clamped).</summary>
    public ReadOnlySpan<byte> Text(int capacity)
    {
        int length = Math.Min(_buffer[Offset], capacity);
        ReadOnlySpan<byte> v = _buffer.Slice(Offset + 1, length);
        Offset += 1 + capacity;
        return v;
    }
}
