using System.Formats.Asn1;
using System.Security.Cryptography;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>
/// Key import and export: the forms OpenSSL, Python's cryptography and .NET write (SPKI "PUBLIC KEY", PKCS#8
/// "PRIVATE KEY", SEC 1 "EC PRIVATE KEY"), byte-identical canonical exports, the repository's committed keys and
/// signed bundle, and everything that must be refused (invalid points, other curves, out-of-range scalars).
/// </summary>
public sealed class P256KeyTests
{
    [Fact]
    public void Spki_export_is_byte_identical_to_dotnet_and_round_trips()
    {
        for (int i = 0; i < 10; i++)
        {
            using var dotnet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            byte[] spki = dotnet.ExportSubjectPublicKeyInfo();
            P256PublicKey key = P256PublicKey.ImportSubjectPublicKeyInfo(spki);
            Assert.Equal(spki, key.ExportSubjectPublicKeyInfo());
            Assert.Equal(spki, P256PublicKey.FromPem(dotnet.ExportSubjectPublicKeyInfoPem()).ExportSubjectPublicKeyInfo());
            using var back = ECDsa.Create();
            back.ImportFromPem(key.ExportSubjectPublicKeyInfoPem()); // our PEM is readable by others
            Assert.Equal(spki, back.ExportSubjectPublicKeyInfo());
        }
    }

    [Fact]
    public void Private_keys_import_from_pkcs8_and_sec1_der_and_pem()
    {
        using var dotnet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = dotnet.ExportSubjectPublicKeyInfo();
        using (P256PrivateKey k = P256PrivateKey.ImportPkcs8PrivateKey(dotnet.ExportPkcs8PrivateKey())) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
        using (P256PrivateKey k = P256PrivateKey.ImportECPrivateKey(dotnet.ExportECPrivateKey())) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
        using (P256PrivateKey k = P256PrivateKey.FromPem(dotnet.ExportPkcs8PrivateKeyPem())) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
        using (P256PrivateKey k = P256PrivateKey.FromPem(dotnet.ExportECPrivateKeyPem())) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
        // `openssl ecparam -name prime256v1 -genkey` writes an "EC PARAMETERS" block first, and text around blocks is allowed.
        string withParameters = "comment line\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + dotnet.ExportECPrivateKeyPem() + "\n";
        using (P256PrivateKey k = P256PrivateKey.FromPem(withParameters)) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
        // SEC 1 without the optional public key, curve named inside.
        byte[] d = dotnet.ExportParameters(true).D!;
        using (P256PrivateKey k = P256PrivateKey.ImportECPrivateKey(Sec1(d, namedCurve: P256.NamedCurveOid, publicKey: null))) Assert.Equal(spki, k.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void The_repository_test_keys_match_and_the_shipped_bundle_signature_verifies()
    {
        string repo = RepoRoot();
        using P256PrivateKey key = P256PrivateKey.FromPem(File.ReadAllText(Path.Combine(repo, "keys", "test", "fraudedge-test-signing.key.pem")));
        P256PublicKey publicKey = P256PublicKey.FromPem(File.ReadAllText(Path.Combine(repo, "keys", "test", "fraudedge-test-signing.pub.pem")));
        Assert.Equal(publicKey.ExportSubjectPublicKeyInfo(), key.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal("f364180178a3b718", TrustedKeys.KeyIdOf(publicKey.ExportSubjectPublicKeyInfo())); // keys/test/README.md

        // models/fraudedge-slm was signed by the trainer (Python cryptography, i.e. OpenSSL): DER, base64, one line.
        string bundle = Path.Combine(repo, "models", "fraudedge-slm");
        byte[] manifest = File.ReadAllBytes(Path.Combine(bundle, "manifest.json"));
        byte[] signature = Convert.FromBase64String(File.ReadAllText(Path.Combine(bundle, "manifest.sig")).Trim());
        Assert.True(publicKey.VerifyData(manifest, signature));
        Assert.False(publicKey.VerifyData([.. manifest, (byte)' '], signature));

        using P256PrivateKey fixture = P256PrivateKey.FromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fixture-signing.TEST.key.pem")));
        Assert.Equal(P256PublicKey.FromPem(Bundles.Fixture.PublicKeyPem).ExportSubjectPublicKeyInfo(), fixture.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Invalid_points_are_refused()
    {
        using var dotnet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] point = P256PublicKey.ImportSubjectPublicKeyInfo(dotnet.ExportSubjectPublicKeyInfo()).ExportUncompressedPoint();
        byte[] p = Convert.FromHexString("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");

        byte[] offCurve = (byte[])point.Clone();
        offCurve[64] ^= 1; // y changed: not on the curve
        byte[] xAtP = [0x04, .. p, .. point[33..]]; // x = p ≥ p
        byte[] zero = new byte[65];
        zero[0] = 0x04; // (0, 0): not on the curve (b ≠ 0)
        byte[] compressed = [(byte)(0x02 | (point[64] & 1)), .. point[1..33]];
        byte[] infinity = [0x00];

        foreach (byte[] bad in new[] { offCurve, xAtP, zero, compressed, infinity, point[..64], [.. point, 0] })
        {
            Assert.Throws<FormatException>(() => P256PublicKey.FromUncompressedPoint(bad));
            Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo(Spki(bad)));
        }
        Assert.Throws<FormatException>(() => P256PublicKey.FromAffine(UInt256.ReadBigEndian(offCurve[1..33]), UInt256.ReadBigEndian(offCurve[33..])));
        P256PublicKey.ImportSubjectPublicKeyInfo(Spki(point)); // the helper itself builds valid keys
    }

    [Fact]
    public void Other_curves_explicit_parameters_and_other_algorithms_are_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256", Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo(p384.ExportSubjectPublicKeyInfo())).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => P256PrivateKey.ImportPkcs8PrivateKey(p384.ExportPkcs8PrivateKey()));
        Assert.Throws<FormatException>(() => P256PrivateKey.ImportECPrivateKey(p384.ExportECPrivateKey()));

        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] point = P256PublicKey.ImportSubjectPublicKeyInfo(p256.ExportSubjectPublicKeyInfo()).ExportUncompressedPoint();
        Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo(Spki(point, explicitParameters: true)));
        Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo(Spki(point, algorithm: "1.2.840.113549.1.1.1"))); // rsaEncryption
        Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo([.. Spki(point), 0x00]));        // trailing byte
        using var rsa = RSA.Create(2048);
        Assert.Throws<FormatException>(() => P256PublicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Throws<FormatException>(() => P256PrivateKey.ImportPkcs8PrivateKey(rsa.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void Out_of_range_scalars_and_inconsistent_keys_are_refused()
    {
        byte[] n = Convert.FromHexString("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        byte[] nPlus1 = (byte[])n.Clone();
        nPlus1[31]++;
        foreach (byte[] d in new[] { new byte[32], n, nPlus1, Enumerable.Repeat((byte)0xff, 32).ToArray() })
        {
            Assert.Throws<FormatException>(() => P256PrivateKey.FromScalar(d));
            Assert.Throws<FormatException>(() => P256PrivateKey.ImportECPrivateKey(Sec1(d, P256.NamedCurveOid, null)));
        }
        Assert.Throws<FormatException>(() => P256PrivateKey.FromScalar(new byte[31]));

        // A SEC 1 key whose embedded public key belongs to another private key.
        using var a = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] otherPoint = P256PublicKey.ImportSubjectPublicKeyInfo(b.ExportSubjectPublicKeyInfo()).ExportUncompressedPoint();
        Assert.Contains("does not belong", Assert.Throws<FormatException>(() =>
            P256PrivateKey.ImportECPrivateKey(Sec1(a.ExportParameters(true).D!, P256.NamedCurveOid, otherPoint))).Message, StringComparison.Ordinal);
        // A SEC 1 key that names no curve (only legal inside PKCS#8, which names it outside).
        Assert.Throws<FormatException>(() => P256PrivateKey.ImportECPrivateKey(Sec1(a.ExportParameters(true).D!, null, null)));
    }

    [Fact]
    public void Pem_texts_that_are_not_one_unencrypted_private_key_are_refused_without_echoing_key_material()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pkcs8 = key.ExportPkcs8PrivateKeyPem();
        string encrypted = key.ExportEncryptedPkcs8PrivateKeyPem("secret"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        string body = pkcs8.Split('\n')[1];
        foreach (string pem in new[] { "", "hello", encrypted, key.ExportSubjectPublicKeyInfoPem(), pkcs8 + pkcs8,
                     "-----BEGIN PRIVATE KEY-----\n" + body + "\n", "-----BEGIN PRIVATE KEY-----\n!!notbase64!!\n-----END PRIVATE KEY-----\n",
                     "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" })
        {
            FormatException e = Assert.Throws<FormatException>(() => P256PrivateKey.FromPem(pem));
            Assert.DoesNotContain(body, e.Message, StringComparison.Ordinal);
        }
        Assert.Throws<FormatException>(() => P256PublicKey.FromPem(pkcs8)); // a private key offered as a public one
    }

    [Fact]
    public void A_disposed_key_no_longer_signs()
    {
        P256PrivateKey key = TestKeys.NewPrivateKey();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.SignData("x"u8, new byte[72]));
    }

    private static byte[] Spki(byte[] point, bool explicitParameters = false, string algorithm = P256.EcPublicKeyOid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(algorithm);
                if (explicitParameters)
                {
                    using (writer.PushSequence()) writer.WriteInteger(1); // a stand-in SpecifiedECDomain: refused before it is read
                }
                else
                {
                    writer.WriteObjectIdentifier(P256.NamedCurveOid);
                }
            }
            writer.WriteBitString(point);
        }
        return writer.Encode();
    }

    private static byte[] Sec1(byte[] d, string? namedCurve, byte[]? publicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(d);
            if (namedCurve is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))) writer.WriteObjectIdentifier(namedCurve);
            }
            if (publicKey is not null)
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true))) writer.WriteBitString(publicKey);
            }
        }
        return writer.Encode();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
