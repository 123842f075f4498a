using System.Buffers.Binary;
using System.Text;

namespace FraudEdge.Core.Events;

/// <summary>
/// Up to 16 printable ASCII characters packed into a <see cref="UInt128"/>, so identifiers such as the
/// terminal id (ISO 8583 DE 41, 8 chars) and card acceptor id (DE 42, 15 chars) travel without a string
/// allocation on the scoring path. Big-endian packing keeps ordering equal to string ordering.
/// </summary>
internal static class Ascii16
{
    public const int MaxLength = 16;

    public static bool TryPack(ReadOnlySpan<byte> ascii, out UInt128 packed)
    {
        packed = UInt128.Zero;
        if (ascii.Length == 0 || ascii.Length > MaxLength) return false;
        Span<byte> buffer = stackalloc byte[16];
        buffer.Clear();
        for (int i = 0; i < ascii.Length; i++)
        {
            byte b = ascii[i];
            if (b < 0x21 || b > 0x7E) return false; // printable, no spaces: ids are tokens, not prose
            buffer[i] = b;
        }
        packed = BinaryPrimitives.ReadUInt128BigEndian(buffer);
        return true;
    }

    public static bool TryPack(ReadOnlySpan<char> text, out UInt128 packed)
    {
        packed = UInt128.Zero;
        if (text.Length == 0 || text.Length > MaxLength) return false;
        Span<byte> ascii = stackalloc byte[MaxLength];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7E) return false;
            ascii[i] = (byte)c;
        }
        return TryPack(ascii[..text.Length], out packed);
    }

    public static int Unpack(UInt128 packed, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(buffer, packed);
        int length = buffer.IndexOf((byte)0);
        if (length < 0) length = 16;
        buffer[..length].CopyTo(destination);
        return length;
    }

    public static string ToString(UInt128 packed)
    {
        Span<byte> buffer = stackalloc byte[16];
        int length = Unpack(packed, buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }
}
