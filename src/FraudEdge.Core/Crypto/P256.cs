namespace FraudEdge.Core.Crypto;

/// <summary>
/// The NIST P-256 domain parameters (FIPS 186-5 §3.2.1.3 / SEC 2 §2.4.2, a.k.a. secp256r1, prime256v1), the only
/// curve fe-bundle-1 and the audit checkpoints use. The cofactor is 1, so every point on the curve other than
/// the identity has order n: checking the curve equation is the whole public-key validation.
/// </summary>
internal static class P256
{
    /// <summary>id-ecPublicKey, RFC 5480 §2.1.1.</summary>
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>secp256r1, RFC 5480 §2.1.1.1.</summary>
    public const string NamedCurveOid = "1.2.840.10045.3.1.7";

    /// <summary>Coordinates and scalars are 32 bytes, big-endian.</summary>
    public const int ScalarSize = 32;

    // Initialisation order matters: the points below are built with Field.
    public static readonly MontgomeryField Field = new(UInt256.ParseHex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"));

    /// <summary>Arithmetic modulo the group order n (ECDSA's r, s, k and the private key).</summary>
    public static readonly MontgomeryField Order = new(UInt256.ParseHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"));

    public static readonly UInt256 BMontgomery = Field.ToMontgomery(UInt256.ParseHex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"));

    public static readonly P256Point Generator = P256Point.FromAffine(
        UInt256.ParseHex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
        UInt256.ParseHex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"));
}
