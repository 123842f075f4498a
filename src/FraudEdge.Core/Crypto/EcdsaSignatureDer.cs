using System.Formats.Asn1;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// The DER form of an ECDSA signature, Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3,
/// SEC 1 §C.8): what `openssl dgst -sign` writes and what manifest.sig and audit checkpoints hold. For P-256
/// it is 8 to 72 bytes. (IEEE P1363 r‖s, the other common form, is not used anywhere in FraudEdge.)
/// </summary>
internal static class EcdsaSignatureDer
{
    public const int MaxLength = 72;

    /// <summary>Writes SEQUENCE { r, s } with minimal INTEGERs; returns the length.</summary>
    public static int Encode(in UInt256 r, in UInt256 s, Span<byte> destination)
    {
        Span<byte> rBytes = stackalloc byte[P256.ScalarSize];
        Span<byte> sBytes = stackalloc byte[P256.ScalarSize];
        r.WriteBigEndian(rBytes);
        s.WriteBigEndian(sBytes);
        ReadOnlySpan<byte> rMinimal = Minimal(rBytes), sMinimal = Minimal(sBytes);
        int rLength = rMinimal.Length + (rMinimal[0] >= 0x80 ? 1 : 0);
        int sLength = sMinimal.Length + (sMinimal[0] >= 0x80 ? 1 : 0);
        int contentLength = 2 + rLength + 2 + sLength; // at most 70: the short length form always applies
        if (destination.Length < 2 + contentLength)
            throw new ArgumentException($"a DER ECDSA P-256 signature needs up to {MaxLength} bytes", nameof(destination));
        destination[0] = 0x30;
        destination[1] = (byte)contentLength;
        int at = WriteInteger(destination, 2, rMinimal, rLength);
        WriteInteger(destination, at, sMinimal, sLength);
        return 2 + contentLength;
    }

    /// <summary>
    /// Reads a strict DER signature: one SEQUENCE of two non-negative minimal INTEGERs of at most 256 bits, and
    /// nothing after it. Anything else is false (the range 1..n−1 is the verifier's check).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> der, out UInt256 r, out UInt256 s)
    {
        r = s = default;
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out int contentOffset, out int contentLength, out int consumed);
            if (consumed != der.Length) return false;
            ReadOnlySpan<byte> content = der.Slice(contentOffset, contentLength);
            ReadOnlySpan<byte> rBytes = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out int rConsumed);
            content = content[rConsumed..];
            ReadOnlySpan<byte> sBytes = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out int sConsumed);
            if (sConsumed != content.Length) return false;
            return TryReadUnsigned(rBytes, out r) && TryReadUnsigned(sBytes, out s);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool TryReadUnsigned(ReadOnlySpan<byte> integer, out UInt256 value)
    {
        value = default;
        if (integer[0] >= 0x80) return false; // negative
        if (integer[0] == 0 && integer.Length > 1) integer = integer[1..]; // DER keeps this zero only before a high bit
        if (integer.Length > P256.ScalarSize) return false;
        Span<byte> padded = stackalloc byte[P256.ScalarSize];
        padded.Clear();
        integer.CopyTo(padded[(P256.ScalarSize - integer.Length)..]);
        value = UInt256.ReadBigEndian(padded);
        return true;
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> bigEndian)
    {
        int start = 0;
        while (start < bigEndian.Length - 1 && bigEndian[start] == 0) start++;
        return bigEndian[start..];
    }

    private static int WriteInteger(Span<byte> destination, int at, ReadOnlySpan<byte> magnitude, int length)
    {
        destination[at++] = 0x02;
        destination[at++] = (byte)length;
        if (length > magnitude.Length) destination[at++] = 0x00; // keeps the INTEGER positive
        magnitude.CopyTo(destination[at..]);
        return at + magnitude.Length;
    }
}
