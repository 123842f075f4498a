using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>
/// ECDSA P-256 / SHA-256: RFC 6979 §A.2.5's deterministic nonces and signatures, the C2SP CCTV vector whose first
/// nonce candidate is rejected, the point arithmetic's identities, and cross-checks with .NET's ECDsa (OpenSSL on
/// this machine) in both directions, with tampering and out-of-range values refused.
/// </summary>
public sealed class EcdsaP256Tests
{
    // RFC 6979 §A.2.5: private key x and public key U = xG.
    private const string X = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
    private const string Ux = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
    private const string Uy = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
    private const string N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
    private const string P = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

    public static TheoryData<string, string, string, string> Rfc6979Vectors => new()
    {
        // RFC 6979 §A.2.5, SHA-256.
        { "sample", "a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60",
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716", "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8" },
        { "test", "d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0",
            "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367", "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083" },
        // C2SP CCTV "RFC 6979 rejection sampling vector" (same key): the first candidate is >= n, step h.3 runs.
        { "wv[vnX", "2ae40df9d9dab61d688de3dcb9867a98ecc70dd4d6c0f6c228b6e4e0b18b29bc",
            "efd9073b652e76da1b5a019c0e4a2e3fa529b035a6abb91ef67f0ed7a1f21234", "3db4706c9d9f4a4fe13bb5e08ef0fab53a57dbab2061c83a35fa411c68d2ba33" },
    };

    [Fact]
    public void Rfc6979_public_key_is_derived_from_the_private_scalar()
    {
        using P256PrivateKey key = P256PrivateKey.FromScalar(Convert.FromHexString(X));
        Assert.Equal("04" + Ux + Uy, Convert.ToHexStringLower(key.PublicKey.ExportUncompressedPoint()));
    }

    [Theory]
    [MemberData(nameof(Rfc6979Vectors))]
    public void Rfc6979_nonce_and_signature(string message, string k, string r, string s)
    {
        byte[] data = Encoding.ASCII.GetBytes(message);
        byte[] hash = SHA256.HashData(data);
        var nonce = new Rfc6979Nonce(UInt256.ParseHex(X), hash);
        Assert.Equal(k, nonce.Next().ToString());

        using P256PrivateKey key = P256PrivateKey.FromScalar(Convert.FromHexString(X));
        key.SignHash(hash, out UInt256 sr, out UInt256 ss);
        Assert.Equal(r, sr.ToString());
        Assert.Equal(s, ss.ToString());

        // The DER form decodes to the same pair, and both our verifier and .NET's accept it.
        byte[] der = new byte[P256PrivateKey.MaxSignatureLength];
        int length = key.SignData(data, der);
        Assert.True(EcdsaSignatureDer.TryDecode(der.AsSpan(0, length), out UInt256 dr, out UInt256 ds));
        Assert.Equal((r, s), (dr.ToString(), ds.ToString()));
        Assert.True(key.PublicKey.VerifyData(data, der.AsSpan(0, length)));
        using ECDsa dotnet = DotNetPublicKey(Ux + Uy);
        Assert.True(dotnet.VerifyHash(hash, Convert.FromHexString(r + s), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void The_rejection_vector_really_rejects_its_first_candidate()
    {
        // RFC 6979 §3.2 steps b–h.2 written out once more with .NET's HMAC: the first T is not below n.
        byte[] x = Convert.FromHexString(X), h = SHA256.HashData("wv[vnX"u8);
        byte[] v = Enumerable.Repeat((byte)1, 32).ToArray(), kk = new byte[32];
        kk = HMACSHA256.HashData(kk, Cat(v, [0], x, h));
        v = HMACSHA256.HashData(kk, v);
        kk = HMACSHA256.HashData(kk, Cat(v, [1], x, h));
        v = HMACSHA256.HashData(kk, v);
        v = HMACSHA256.HashData(kk, v);
        Assert.True(new BigInteger(v, isUnsigned: true, isBigEndian: true) >= new BigInteger(Convert.FromHexString(N), isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void Signing_is_deterministic()
    {
        using P256PrivateKey key = TestKeys.NewPrivateKey();
        byte[] a = new byte[72], b = new byte[72];
        int la = key.SignData("checkpoint"u8, a), lb = key.SignData("checkpoint"u8, b);
        Assert.Equal(a.AsSpan(0, la).ToArray(), b.AsSpan(0, lb).ToArray());
        int lc = key.SignData("checkpoinT"u8, b);
        Assert.NotEqual(a.AsSpan(0, la).ToArray(), b.AsSpan(0, lc).ToArray());
    }

    [Fact]
    public void Signatures_cross_check_with_dotnet_both_ways_and_tampering_is_refused()
    {
        var random = new Random(6979);
        for (int i = 0; i < 24; i++)
        {
            using var dotnet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using P256PrivateKey ours = P256PrivateKey.ImportPkcs8PrivateKey(dotnet.ExportPkcs8PrivateKey());
            P256PublicKey publicKey = P256PublicKey.ImportSubjectPublicKeyInfo(dotnet.ExportSubjectPublicKeyInfo());
            byte[] data = new byte[i < 2 ? i * 64 : random.Next(0, 301)];
            random.NextBytes(data);

            byte[] theirs = dotnet.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            Assert.True(publicKey.VerifyData(data, theirs), $"round {i}: .NET's signature");
            Assert.True(ours.PublicKey.VerifyData(data, theirs));

            byte[] mine = new byte[P256PrivateKey.MaxSignatureLength];
            int length = ours.SignData(data, mine);
            Assert.True(dotnet.VerifyData(data, mine.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence), $"round {i}: our signature");

            byte[] changed = [.. data, 0];
            Assert.False(publicKey.VerifyData(changed, theirs));
            if (data.Length > 0)
            {
                changed = (byte[])data.Clone();
                changed[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                Assert.False(publicKey.VerifyData(changed, theirs));
            }
            byte[] forged = theirs.AsSpan().ToArray();
            forged[random.Next(2, forged.Length)] ^= (byte)(1 << random.Next(8)); // a bit of r or s (or their headers)
            Assert.False(publicKey.VerifyData(data, forged));
            using P256PrivateKey other = TestKeys.NewPrivateKey();
            Assert.False(other.PublicKey.VerifyData(data, theirs));
        }
    }

    [Fact]
    public void Out_of_range_r_and_s_are_refused_and_the_negated_s_is_accepted_like_dotnet()
    {
        using P256PrivateKey key = P256PrivateKey.FromScalar(Convert.FromHexString(X));
        byte[] hash = SHA256.HashData("sample"u8);
        key.SignHash(hash, out UInt256 r, out UInt256 s);
        BigInteger n = Big(N), br = Big(r.ToString()), bs = Big(s.ToString());
        Assert.True(key.PublicKey.VerifyHash(hash, Der(br, bs)));
        foreach ((BigInteger badR, BigInteger badS) in new (BigInteger, BigInteger)[] { (BigInteger.Zero, bs), (br, BigInteger.Zero), (n, bs), (br, n), (br + n, bs), (br, bs + n), (Big(P), bs), (-br, bs), (br, -bs) })
            Assert.False(key.PublicKey.VerifyHash(hash, Der(badR, badS)), $"r={badR:x}, s={badS:x}");
        // ECDSA's malleability: (r, n − s) is just as valid. Neither .NET nor FraudEdge normalises s; both accept it.
        byte[] negated = Der(br, n - bs);
        Assert.True(key.PublicKey.VerifyHash(hash, negated));
        using ECDsa dotnet = DotNetPublicKey(Ux + Uy);
        Assert.True(dotnet.VerifyHash(hash, negated, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Malformed_der_is_refused_without_throwing()
    {
        using P256PrivateKey key = P256PrivateKey.FromScalar(Convert.FromHexString(X));
        byte[] hash = SHA256.HashData("sample"u8);
        byte[] good = new byte[72];
        int length = key.SignHash(hash, good);
        good = good[..length];
        Assert.True(key.PublicKey.VerifyHash(hash, good));
        byte[][] bad =
        [
            [],
            [0x30, 0x00],
            [.. good, 0x00],                                   // trailing byte
            good[..^1],                                        // truncated
            [0x31, .. good[1..]],                              // SET, not SEQUENCE
            [0x30, 0x81, (byte)(length - 2), .. good[2..]],    // long length form where the short one fits (BER, not DER)
            Der(Big("00"), Big("01"), extraInteger: true),      // three INTEGERs
            [0x30, (byte)(length - 2 + 1), 0x02, (byte)(good[3] + 1), 0x00, .. good[4..]], // r with a needless leading zero
        ];
        foreach (byte[] signature in bad)
            Assert.False(key.PublicKey.VerifyHash(hash, signature), Convert.ToHexString(signature));
    }

    [Fact]
    public void Point_arithmetic_identities()
    {
        MontgomeryField f = P256.Field;
        P256Point g = P256.Generator;
        Assert.True(P256Point.Multiply(g, P256.Order.Modulus).IsIdentity); // n·G = O
        Assert.True(P256Point.Multiply(g, UInt256.Zero).IsIdentity);
        Assert.Equal(Affine(g), Affine(P256Point.Multiply(g, UInt256.One)));
        Assert.Equal(Affine(g), Affine(P256Point.Add(g, P256Point.Identity)));
        Assert.Equal(Affine(g), Affine(P256Point.Add(P256Point.Identity, g)));
        Assert.True(P256Point.Add(P256Point.Identity, P256Point.Identity).IsIdentity);
        Assert.True(P256Point.Double(P256Point.Identity).IsIdentity);

        // (n − 1)·G = −G = (Gx, p − Gy), and G + (−G) = O.
        UInt256 nMinus1 = UInt256.Subtract(P256.Order.Modulus, UInt256.One, out _);
        P256Point minusG = P256Point.Multiply(g, nMinus1);
        (UInt256 gx, UInt256 gy) = Affine(g);
        Assert.Equal((gx, UInt256.Subtract(f.Modulus, gy, out _)), Affine(minusG));
        Assert.True(P256Point.Add(g, minusG).IsIdentity);

        var random = new Random(186);
        for (int i = 0; i < 16; i++)
        {
            UInt256 a = RandomScalar(random), b = RandomScalar(random);
            P256Point pa = P256Point.Multiply(g, a), pb = P256Point.Multiply(g, b);
            Assert.Equal(Affine(P256Point.Double(pa)), Affine(P256Point.Add(pa, pa))); // Algorithm 6 = Algorithm 4 with P = Q
            // (a + b)·G = a·G + b·G, and both are on the curve.
            UInt256 sum = P256.Order.Add(a, b);
            (UInt256 sx, UInt256 sy) = Affine(P256Point.Add(pa, pb));
            Assert.Equal((sx, sy), Affine(P256Point.Multiply(g, sum)));
            Assert.True(P256Point.IsOnCurve(sx, sy));
        }
    }

    [Fact]
    public void Montgomery_arithmetic_matches_biginteger()
    {
        var random = new Random(1996);
        foreach (MontgomeryField field in new[] { P256.Field, P256.Order })
        {
            BigInteger m = Big(field.Modulus.ToString());
            for (int i = 0; i < 200; i++)
            {
                UInt256 a = RandomBelow(random, field), b = RandomBelow(random, field);
                BigInteger ba = Big(a.ToString()), bb = Big(b.ToString());
                UInt256 am = field.ToMontgomery(a), bm = field.ToMontgomery(b);
                Assert.Equal(ba * bb % m, Big(field.FromMontgomery(field.Multiply(am, bm)).ToString()));
                Assert.Equal((ba + bb) % m, Big(field.Add(a, b).ToString()));
                Assert.Equal(((ba - bb) % m + m) % m, Big(field.Subtract(a, b).ToString()));
                if (!a.IsZero)
                    Assert.Equal(BigInteger.ModPow(ba, m - 2, m), Big(field.FromMontgomery(field.Invert(am)).ToString()));
            }
            // Edges: m − 1 squared, and the largest 256-bit value reduced.
            UInt256 top = UInt256.Subtract(field.Modulus, UInt256.One, out _);
            Assert.Equal(UInt256.One, field.FromMontgomery(field.Square(field.ToMontgomery(top))));
            Assert.Equal(Big("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff") % m,
                Big(field.Reduce(new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)).ToString()));
        }
    }

    private static (UInt256 X, UInt256 Y) Affine(in P256Point point)
    {
        Assert.True(point.TryGetAffine(out UInt256 x, out UInt256 y));
        return (x, y);
    }

    private static UInt256 RandomScalar(Random random)
    {
        UInt256 value;
        do value = RandomBelow(random, P256.Order); while (value.IsZero);
        return value;
    }

    private static UInt256 RandomBelow(Random random, MontgomeryField field)
    {
        byte[] bytes = new byte[32];
        UInt256 value;
        do
        {
            random.NextBytes(bytes);
            value = UInt256.ReadBigEndian(bytes);
        }
        while (!field.IsReduced(value));
        return value;
    }

    private static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static BigInteger Big(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Der(BigInteger r, BigInteger s, bool extraInteger = false)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
            if (extraInteger) writer.WriteInteger(1);
        }
        return writer.Encode();
    }

    private static ECDsa DotNetPublicKey(string xyHex)
    {
        byte[] xy = Convert.FromHexString(xyHex);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xy[..32], Y = xy[32..] } });
    }
}
