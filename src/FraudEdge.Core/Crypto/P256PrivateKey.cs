using System.Formats.Asn1;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// An ECDSA P-256 private key that signs with SHA-256 and deterministic nonces (RFC 6979), writing DER signatures.
/// It signs audit checkpoints on the terminal (the terminal's own audit key, <c>--audit-signing-key</c>).
/// Imported from PKCS#8 "PRIVATE KEY" (RFC 5208/5958) or SEC 1 "EC PRIVATE KEY" (RFC 5915), DER or PEM, the two
/// forms `openssl genpkey` / `openssl ecparam -genkey` write; unencrypted only.
/// <para>
/// Timing: the scalar multiplication k·G uses a fixed window with a full-table masked lookup and complete
/// addition formulas, and the field and scalar arithmetic uses branch-free carries and masked selections, so
/// the sequence of operations and memory accesses does not depend on the key or the nonce. That is what the
/// code does, not a verified guarantee: the JIT may still emit data-dependent instructions, Math.BigMul is
/// assumed constant-time (true of x64 MUL and ARM64 UMULH, not of every CPU), and import, the public-key check,
/// the r = 0 / s = 0 retry and DER encoding are ordinary code. An attacker who can time signatures on the
/// terminal already runs code next to the key; this closes the easy remote channel, not that one.
/// </para>
/// </summary>
public sealed class P256PrivateKey : IDisposable
{
    /// <summary>The longest DER signature: SEQUENCE of two 33-byte INTEGERs.</summary>
    public const int MaxSignatureLength = EcdsaSignatureDer.MaxLength;

    private static readonly Asn1Tag ParametersTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag PublicKeyTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    private UInt256 _d;
    private bool _disposed;

    private P256PrivateKey(in UInt256 d)
    {
        if (d.IsZero || !P256.Order.IsReduced(d)) throw new FormatException("the private key is out of range for P-256 (it must be 1..n-1)");
        _d = d;
        P256Point q = P256Point.Multiply(P256.Generator, d);
        q.TryGetAffine(out UInt256 x, out UInt256 y);
        PublicKey = P256PublicKey.FromAffine(x, y);
    }

    public P256PublicKey PublicKey { get; }

    /// <summary>The private scalar as 32 big-endian bytes (the form RFC 6979 and SEC 1 use).</summary>
    public static P256PrivateKey FromScalar(ReadOnlySpan<byte> d)
    {
        if (d.Length != P256.ScalarSize) throw new FormatException("a P-256 private scalar is 32 bytes");
        return new P256PrivateKey(UInt256.ReadBigEndian(d));
    }

    /// <summary>PKCS#8 PrivateKeyInfo / OneAsymmetricKey with id-ecPublicKey and namedCurve P-256.</summary>
    public static P256PrivateKey ImportPkcs8PrivateKey(ReadOnlySpan<byte> der)
    {
        byte[] copy = der.ToArray();
        try
        {
            var reader = new AsnReader(copy, AsnEncodingRules.BER);
            AsnReader info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!info.TryReadInt32(out int version) || version is not (0 or 1))
                throw new FormatException("unknown PKCS#8 version");
            AsnReader algorithm = info.ReadSequence();
            string oid = algorithm.ReadObjectIdentifier();
            if (oid != P256.EcPublicKeyOid) throw new FormatException($"the key's algorithm is {oid}, not EC (id-ecPublicKey)");
            P256PublicKey.ReadNamedCurve(algorithm);
            algorithm.ThrowIfNotEmpty();
            if (!info.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> ecPrivateKey))
                throw new FormatException("the PKCS#8 privateKey is not an OCTET STRING");
            // Attributes ([0]) and a v2 public key ([1]) may follow; they change nothing here.
            return ReadECPrivateKey(ecPrivateKey.Span, curveNamedOutside: true);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER PKCS#8 private key: {e.Message}", e);
        }
        finally
        {
            Array.Clear(copy);
        }
    }

    /// <summary>SEC 1 ECPrivateKey (RFC 5915) that names P-256 in its parameters.</summary>
    public static P256PrivateKey ImportECPrivateKey(ReadOnlySpan<byte> der)
    {
        try
        {
            return ReadECPrivateKey(der, curveNamedOutside: false);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"not a DER EC private key: {e.Message}", e);
        }
    }

    /// <summary>
    /// The one "PRIVATE KEY" or "EC PRIVATE KEY" block of a PEM text (other blocks such as "EC PARAMETERS" are
    /// ignored, as `openssl ecparam -genkey` writes one first). Encrypted keys, public keys and more than one
    /// key are refused. Messages name labels, never key material.
    /// </summary>
    public static P256PrivateKey FromPem(string pem)
    {
        List<Pem.Block> blocks = Pem.ReadAll(pem);
        try
        {
            Pem.Block? key = null;
            foreach (Pem.Block block in blocks)
            {
                switch (block.Label)
                {
                    case "PRIVATE KEY" or "EC PRIVATE KEY":
                        if (key is not null) throw new FormatException("the PEM text holds more than one private key");
                        key = block;
                        break;
                    case "ENCRYPTED PRIVATE KEY":
                        throw new FormatException("encrypted private keys are not supported; the key file's permissions protect it");
                    case "PUBLIC KEY":
                        throw new FormatException("this is a public key; signing needs the private key");
                }
            }
            if (key is not { } found) throw new FormatException("the PEM text holds no \"PRIVATE KEY\" or \"EC PRIVATE KEY\" block");
            return found.Label == "PRIVATE KEY" ? ImportPkcs8PrivateKey(found.Der) : ImportECPrivateKey(found.Der);
        }
        finally
        {
            foreach (Pem.Block block in blocks) Array.Clear(block.Der);
        }
    }

    /// <summary>Signs SHA-256(<paramref name="data"/>) into <paramref name="destination"/> (DER, up to 72 bytes); returns the length.</summary>
    public int SignData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(data, hash);
        return SignHash(hash, destination);
    }

    /// <summary>Signs a SHA-256 hash (32 bytes) into <paramref name="destination"/> (DER); returns the length.</summary>
    public int SignHash(ReadOnlySpan<byte> sha256, Span<byte> destination)
    {
        SignHash(sha256, out UInt256 r, out UInt256 s);
        return EcdsaSignatureDer.Encode(r, s, destination);
    }

    /// <summary>The raw (r, s), for tests against RFC 6979's vectors.</summary>
    internal void SignHash(ReadOnlySpan<byte> sha256, out UInt256 r, out UInt256 s)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EcdsaP256.SignHash(_d, sha256, out r, out s);
    }

    /// <summary>Overwrites the scalar; the key cannot sign afterwards.</summary>
    public void Dispose()
    {
        _d = default;
        _disposed = true;
    }

    private static P256PrivateKey ReadECPrivateKey(ReadOnlySpan<byte> der, bool curveNamedOutside)
    {
        byte[] copy = der.ToArray();
        try
        {
            var reader = new AsnReader(copy, AsnEncodingRules.BER);
            AsnReader key = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!key.TryReadInt32(out int version) || version != 1) throw new FormatException("unknown ECPrivateKey version");
            if (!key.TryReadPrimitiveOctetString(out ReadOnlyMemory<byte> scalar) || scalar.Length is 0 or > P256.ScalarSize)
                throw new FormatException("the ECPrivateKey privateKey is not a P-256 scalar");
            bool curveNamed = curveNamedOutside;
            if (key.HasData && key.PeekTag() == ParametersTag)
            {
                AsnReader parameters = key.ReadSequence(ParametersTag);
                P256PublicKey.ReadNamedCurve(parameters);
                parameters.ThrowIfNotEmpty();
                curveNamed = true;
            }
            if (!curveNamed) throw new FormatException("the EC private key does not name its curve");
            P256PublicKey? stated = null;
            if (key.HasData && key.PeekTag() == PublicKeyTag)
            {
                AsnReader publicKey = key.ReadSequence(PublicKeyTag);
                byte[] point = publicKey.ReadBitString(out int unusedBits);
                publicKey.ThrowIfNotEmpty();
                if (unusedBits != 0) throw new FormatException("the ECPrivateKey public key has unused bits");
                stated = P256PublicKey.FromUncompressedPoint(point);
            }
            key.ThrowIfNotEmpty();

            // Shorter encodings drop leading zero bytes; SEC 1 says 32 bytes, some writers disagree.
            Span<byte> padded = stackalloc byte[P256.ScalarSize];
            padded.Clear();
            scalar.Span.CopyTo(padded[(P256.ScalarSize - scalar.Length)..]);
            var result = new P256PrivateKey(UInt256.ReadBigEndian(padded));
            padded.Clear();
            if (stated is not null && !stated.ExportUncompressedPoint().AsSpan().SequenceEqual(result.PublicKey.ExportUncompressedPoint()))
            {
                result.Dispose();
                throw new FormatException("the EC private key's embedded public key does not belong to it");
            }
            return result;
        }
        finally
        {
            Array.Clear(copy);
        }
    }
}
