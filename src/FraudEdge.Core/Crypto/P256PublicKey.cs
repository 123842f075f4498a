using System.Formats.Asn1;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// An ECDSA P-256 public key, validated on import (coordinates below p, on the curve, not the identity), that
/// verifies DER signatures over SHA-256. Imported from and exported to SubjectPublicKeyInfo (RFC 5280 §4.1,
/// RFC 5480): the "PUBLIC KEY" PEM that `openssl pkey -pubout` writes and that bundle trust and audit
/// verification take. The export is canonical DER (named curve, uncompressed point), byte-identical to what
/// OpenSSL and .NET export, so key ids (SHA-256 of it) agree with the trainer's.
/// </summary>
public sealed class P256PublicKey
{
    private const string PemLabel = "PUBLIC KEY";
    private const int UncompressedPointLength = 1 + 2 * P256.ScalarSize;

    private readonly P256Point _point;
    private readonly UInt256 _x, _y;

    private P256PublicKey(in UInt256 x, in UInt256 y)
    {
        _x = x;
        _y = y;
        _point = P256Point.FromAffine(x, y);
    }

    /// <summary>Validates an affine point (ordinary values) and wraps it.</summary>
    internal static P256PublicKey FromAffine(in UInt256 x, in UInt256 y) =>
        P256Point.IsOnCurve(x, y) ? new P256PublicKey(x, y) : throw new FormatException("the public key is not a point on P-256");

    /// <summary>The SEC 1 §2.3.3 uncompressed point 0x04 ‖ X ‖ Y (65 bytes). Compressed points are refused, as .NET refuses them.</summary>
    public static P256PublicKey FromUncompressedPoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != UncompressedPointLength || point[0] != 0x04)
            throw new FormatException("the public key must be an uncompressed P-256 point (0x04, X, Y: 65 bytes)");
        return FromAffine(UInt256.ReadBigEndian(point[1..33]), UInt256.ReadBigEndian(point[33..]));
    }

    /// <summary>
    /// Reads a SubjectPublicKeyInfo (DER; BER tolerated) with algorithm id-ecPublicKey and the namedCurve secp256r1. Explicit curve
    /// parameters, other curves, trailing bytes and invalid points are <see cref="FormatException"/>s.
    /// </summary>
    public static P256PublicKey ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.BER); // key ids hash the canonical re-export, so BER input is harmless
            AsnReader info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            AsnReader algorithm = info.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            if (oid != P256.EcPublicKeyOid) throw new FormatException($"the key's algorithm is {oid}, not an EC public key (id-ecPublicKey)");
            ReadNamedCurve(algorithm);
            algorithm.ThrowIfNotEmpty();
            byte[] point = info.ReadBitString(out int unusedBits);
            if (unusedBits != 0) throw new FormatException("the public key BIT STRING has unused bits");
            info.ThrowIfNotEmpty();
            return FromUncompressedPoint(point);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER SubjectPublicKeyInfo: {e.Message}", e);
        }
    }

    /// <summary>The first "PUBLIC KEY" block of a PEM text; any other first block is refused (never echoed).</summary>
    public static P256PublicKey FromPem(string pem)
    {
        List<Pem.Block> blocks = Pem.ReadAll(pem);
        if (blocks.Count == 0) throw new FormatException("the text holds no PEM block");
        Pem.Block first = blocks[0];
        try
        {
            if (first.Label != PemLabel)
                throw new FormatException($"expected a \"{PemLabel}\" (SubjectPublicKeyInfo) PEM, not \"{first.Label}\"");
            return ImportSubjectPublicKeyInfo(first.Der);
        }
        finally
        {
            foreach (Pem.Block block in blocks) Array.Clear(block.Der); // a private key pasted by mistake does not linger
        }
    }

    /// <summary>Canonical DER SubjectPublicKeyInfo (91 bytes).</summary>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(P256.EcPublicKeyOid);
                writer.WriteObjectIdentifier(P256.NamedCurveOid);
            }
            writer.WriteBitString(ExportUncompressedPoint());
        }
        return writer.Encode();
    }

    public string ExportSubjectPublicKeyInfoPem() => Pem.Write(PemLabel, ExportSubjectPublicKeyInfo());

    /// <summary>0x04 ‖ X ‖ Y.</summary>
    public byte[] ExportUncompressedPoint()
    {
        var point = new byte[UncompressedPointLength];
        point[0] = 0x04;
        _x.WriteBigEndian(point.AsSpan(1));
        _y.WriteBigEndian(point.AsSpan(1 + P256.ScalarSize));
        return point;
    }

    /// <summary>Whether <paramref name="derSignature"/> is this key's ECDSA signature of SHA-256(<paramref name="data"/>).</summary>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(data, hash);
        return VerifyHash(hash, derSignature);
    }

    /// <summary>Like <see cref="VerifyData"/> for a SHA-256 already computed (one hash checked against several keys).</summary>
    public bool VerifyHash(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> derSignature) =>
        EcdsaSignatureDer.TryDecode(derSignature, out UInt256 r, out UInt256 s) && EcdsaP256.VerifyHash(_point, sha256, r, s);

    /// <summary>The raw (r, s) form, for tests against P1363 vectors.</summary>
    internal bool VerifyHash(ReadOnlySpan<byte> sha256, in UInt256 r, in UInt256 s) => EcdsaP256.VerifyHash(_point, sha256, r, s);

    /// <summary>Reads ECParameters ::= namedCurve OID and requires P-256.</summary>
    internal static void ReadNamedCurve(AsnReader reader)
    {
        if (!reader.HasData || reader.PeekTag() != Asn1Tag.ObjectIdentifier)
            throw new FormatException("the key does not name its curve (explicit or implicit curve parameters are not accepted; P-256 must be named)");
        string curve = reader.ReadObjectIdentifier();
        if (curve != P256.NamedCurveOid)
            throw new FormatException($"the key is on curve {curve}, not P-256 (secp256r1, {P256.NamedCurveOid})");
    }
}
