using System.Buffers.Binary;
using System.Text;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Protocol.Messages;

/// <summary>
/// 1–16 printable ASCII bytes (0x21–0x7E) packed big-endian into 128 bits, zero padded: terminal and merchant
/// ids, the model version. The same packing as FraudEdge.Core's TerminalId/MerchantId, so the service maps
/// without copying; a struct, so decoding an id allocates nothing.
/// </summary>
public readonly record struct Ascii16Text(UInt128 Packed)
{
    public const int MaxLength = 16;
    public bool IsEmpty => Packed == UInt128.Zero;

    // The algorithm of FraudEdge.Core.Events.Ascii16 (copied, not referenced: this assembly stands alone).
    public static bool TryPack(ReadOnlySpan<byte> ascii, out Ascii16Text text)
    {
        text = default;
        if (ascii.Length == 0 || ascii.Length > MaxLength) return false;
        Span<byte> buffer = stackalloc byte[MaxLength];
        buffer.Clear();
        for (int i = 0; i < ascii.Length; i++)
        {
            byte b = ascii[i];
            if (b < 0x21 || b > 0x7E) return false; // printable, no spaces: ids are tokens, not prose
            buffer[i] = b;
        }
        text = new Ascii16Text(BinaryPrimitives.ReadUInt128BigEndian(buffer));
        return true;
    }

    /// <summary>Throws FormatException when not 1–16 printable ASCII characters.</summary>
    public static Ascii16Text Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > MaxLength) ThrowHelper.ThrowNotAscii16();
        Span<byte> ascii = stackalloc byte[MaxLength];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0x7E) ThrowHelper.ThrowNotAscii16();
            ascii[i] = (byte)c;
        }
        if (!TryPack(ascii[..text.Length], out Ascii16Text packed)) ThrowHelper.ThrowNotAscii16();
        return packed;
    }

    /// <summary>Writes the characters (no padding) and returns their count, 0 for <see cref="IsEmpty"/>.</summary>
    public int CopyTo(Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        BinaryPrimitives.WriteUInt128BigEndian(buffer, Packed);
        int length = buffer.IndexOf((byte)0);
        if (length < 0) length = MaxLength;
        buffer[..length].CopyTo(destination);
        return length;
    }

    public override string ToString()
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        int length = CopyTo(buffer);
        return Encoding.ASCII.GetString(buffer[..length]);
    }
}
