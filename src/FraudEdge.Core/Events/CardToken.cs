using System.Buffers.Binary;
using System.Globalization;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Events;

/// <summary>
/// The card's identity inside FraudEdge: the first 128 bits of HMAC-SHA-256(key, PAN). Keyed so that a
/// token cannot be reversed by hashing the (small) space of PANs for a BIN (PCI DSS req. 3.5.1: hashes of
/// PANs must be keyed). The PAN itself never enters FraudEdge past <see cref="FromPan"/>.
/// </summary>
public readonly record struct CardToken(UInt128 Value)
{
    public const int Size = 16;

    public bool IsEmpty => Value == UInt128.Zero;

    /// <summary>Tokenises a PAN with the acquirer's tokenisation key. The PAN is not kept.</summary>
    public static CardToken FromPan(ReadOnlySpan<byte> key, ReadOnlySpan<char> pan)
    {
        Span<byte> digits = stackalloc byte[19];
        int n = 0;
        foreach (char c in pan)
        {
            if (c is >= '0' and <= '9')
            {
                if (n == digits.Length) throw new ArgumentException("A PAN has at most 19 digits.", nameof(pan));
                digits[n++] = (byte)c;
            }
            else if (c != ' ')
            {
                throw new ArgumentException("A PAN holds only digits.", nameof(pan));
            }
        }
        if (n < 12) throw new ArgumentException("A PAN has at least 12 digits.", nameof(pan));
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.HashData(key, digits[..n], mac);
        digits.Clear();
        return FromBytes(mac[..Size]);
    }

    /// <summary>Tokenises any opaque card identifier (e.g. a CSV's card id column) the same keyed way.</summary>
    public static CardToken FromIdentifier(ReadOnlySpan<byte> key, ReadOnlySpan<byte> identifier)
    {
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.HashData(key, identifier, mac);
        return FromBytes(mac[..Size]);
    }

    public static CardToken FromBytes(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt128BigEndian(bytes));

    public void CopyTo(Span<byte> destination) => BinaryPrimitives.WriteUInt128BigEndian(destination, Value);

    /// <summary>A 64-bit digest used as the hash key in fixed-size tables.</summary>
    internal ulong Hash64 => (ulong)Value ^ (ulong)(Value >> 64);

    public static CardToken ParseHex(string hex) =>
        new(UInt128.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));

    public override string ToString() => Value.ToString("x32", CultureInfo.InvariantCulture);
}
