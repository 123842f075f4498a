using System.Buffers.Binary;

namespace FraudEdge.Core.Audit;

/// <summary>Writes fixed little-endian fields one after another into a span (no bounds beyond the span's own).</summary>
internal ref struct LayoutWriter
{
    private readonly Span<byte> _buffer;

    public LayoutWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Offset = 0;
    }

    public int Offset { get; private set; }

    public void U8(byte value) => _buffer[Offset++] = value;

    public void Bool(bool value) => _buffer[Offset++] = value ? (byte)1 : (byte)0;

    public void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[Offset..], value);
        Offset += 2;
    }

    public void I16(short value)
    {
        BinaryPrimitives.WriteInt16LittleEndian(_buffer[Offset..], value);
        Offset += 2;
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[Offset..], value);
        Offset += 4;
    }

    public void I32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer[Offset..], value);
        Offset += 4;
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[Offset..], value);
        Offset += 8;
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer[Offset..], value);
        Offset += 8;
    }

    /// <summary>A 128-bit id as 16 bytes, most significant first: ASCII ids read as their characters, zero-padded.</summary>
    public void Bytes16(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128BigEndian(_buffer[Offset..], value);
        Offset += 16;
    }

    public void Hash(in AuditHash value)
    {
        value.CopyTo(_buffer[Offset..]);
        Offset += AuditHash.Size;
    }

    public void Raw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Offset..]);
        Offset += bytes.Length;
    }

    /// <summary>u8 length then <paramref name="capacity"/> bytes, zero-padded (the caller already fitted the text).</summary>
    public void Text(scoped ReadOnlySpan<byte> text, int capacity)
    {
        int length = Math.Min(text.Length, capacity);
        _buffer[Offset++] = (byte)length;
        Span<byte> field = _buffer.Slice(Offset, capacity);
        text[..length].CopyTo(field);
        field[length..].Clear();
        Offset += capacity;
    }

    public void Zeros(int count)
    {
        _buffer.Slice(Offset, count).Clear();
        Offset += count;
    }
}
