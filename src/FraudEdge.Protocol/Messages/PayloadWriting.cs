using System.Buffers.Binary;
using System.Text;
using FraudEdge.Protocol.Framing;
using MessagePack;

namespace FraudEdge.Protocol.Messages;

/// <summary>
/// Encodings shared by the message writers. MessagePackWriter already picks the smallest integer encoding.
/// Raw bytes go through GetSpan/Advance after the header: MessagePack 2.5's span overloads predate `scoped`,
/// so the compiler would not let a stack buffer be passed to them.
/// </summary>
internal static class PayloadWriting
{
    public static void WriteAscii16(ref MessagePackWriter writer, in Ascii16Text text)
    {
        Span<byte> ascii = stackalloc byte[Ascii16Text.MaxLength];
        int length = text.CopyTo(ascii);
        writer.WriteStringHeader(length);
        WriteRaw(ref writer, ascii[..length]);
    }

    public static void WriteBinary16(ref MessagePackWriter writer, UInt128 value)
    {
        writer.WriteBinHeader(16);
        BinaryPrimitives.WriteUInt128BigEndian(writer.GetSpan(16), value);
        writer.Advance(16);
    }

    /// <summary>The low 40 bits as 5 big-endian bytes (EMV tag 95).</summary>
    public static void WriteBinary5(ref MessagePackWriter writer, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        writer.WriteBinHeader(5);
        WriteRaw(ref writer, bytes[3..]);
    }

    /// <summary>A response code packed as two bytes, written back as the 2-character string it came from.</summary>
    public static void WriteResponseCode(ref MessagePackWriter writer, ushort packed)
    {
        writer.WriteStringHeader(2);
        BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(2), packed);
        writer.Advance(2);
    }

    /// <summary>A UTF-8 string that every reader will accept: refuses (throws) over 64 bytes rather than send it.</summary>
    public static void WriteText(ref MessagePackWriter writer, string? value, string field)
    {
        value ??= "";
        // A UTF-16 char is at most 3 UTF-8 bytes: short strings need no count.
        if (value.Length > ProtocolLimits.MaxStringBytes / 3 && Encoding.UTF8.GetByteCount(value) > ProtocolLimits.MaxStringBytes)
            ThrowHelper.ThrowStringTooLong(field);
        writer.Write(value);
    }

    private static void WriteRaw(ref MessagePackWriter writer, scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }
}
