using System.Security.Cryptography;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Tests.Bundles;

public sealed class TrustedKeysTests
{
    [Fact]
    public void Key_id_is_the_first_16_hex_of_the_spki_sha256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using TrustedKeys keys = TrustedKeys.FromPem(key.ExportSubjectPublicKeyInfoPem());
        string expected = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        Assert.Equal([expected], keys.KeyIds);
    }

    [Fact]
    public void Fixture_key_id_matches_the_one_python_wrote()
    {
        using TrustedKeys keys = Fixture.TrustedKeys();
        Assert.Contains($"\"signing_key_id\": \"{keys.KeyIds[0]}\"", Fixture.Files().ManifestText, StringComparison.Ordinal);
    }

    [Fact]
    public void Private_key_pem_is_refused_and_not_echoed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = key.ExportPkcs8PrivateKeyPem();
        BundleException e = Assert.Throws<BundleException>(() => TrustedKeys.FromPem(pem));
        Assert.Equal(BundleErrorCode.TrustedKeyInvalid, e.Code);
        Assert.DoesNotContain(pem.Split('\n')[1], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_on_another_curve_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        BundleException e = Assert.Throws<BundleException>(() => TrustedKeys.FromPem(key.ExportSubjectPublicKeyInfoPem()));
        Assert.Equal(BundleErrorCode.TrustedKeyInvalid, e.Code);
        Assert.Contains("P-256", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    public void Garbage_is_refused(string pem)
    {
        Assert.Equal(BundleErrorCode.TrustedKeyInvalid, Assert.Throws<BundleException>(() => TrustedKeys.FromPem(pem)).Code);
    }

    [Fact]
    public void Duplicate_keys_count_once()
    {
        using TrustedKeys keys = TrustedKeys.FromPem(Fixture.PublicKeyPem, Fixture.PublicKeyPem);
        Assert.Equal(1, keys.Count);
    }

    [Fact]
    public void Key_files_are_read_from_configuration_paths()
    {
        using TrustedKeys keys = TrustedKeys.FromPemFiles([Path.Combine(Fixture.Root, "fixture-signing.TEST.pub.pem")]);
        Assert.Equal(1, keys.Count);
        BundleException e = Assert.Throws<BundleException>(() => TrustedKeys.FromPemFiles(["/nonexistent/key.pem"]));
        Assert.Equal(BundleErrorCode.TrustedKeyInvalid, e.Code);
    }
}
