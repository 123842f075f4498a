using System.Security.Cryptography;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Tests.Bundles;

public sealed class ModelBundleTests
{
    [Fact]
    public void Good_fixture_bundle_loads_from_its_folder()
    {
        using TrustedKeys keys = Fixture.TrustedKeys();
        ModelBundle bundle = ModelBundle.Load(Fixture.BundleDirectory, keys);

        Assert.Equal("fe-bundle-1", bundle.Manifest.Format);
        Assert.Equal("fe-tok-1", bundle.Manifest.Tokenizer);
        Assert.Equal(48, bundle.Manifest.SequenceLength);
        Assert.Equal(keys.KeyIds[0], bundle.Manifest.SigningKeyId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Fixture.BundleDirectory, "manifest.json")))), bundle.ManifestSha256);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture.BundleDirectory, "model.onnx")), bundle.ModelBytes);
        Assert.True(bundle.HasBatchModel);
        Assert.Equal(16, bundle.Parity.Vectors.Count);
        Assert.Equal(0.2, bundle.Manifest.Thresholds.Review);
        Assert.True(bundle.Manifest.TryGetMetric("test", "roc_auc", out double auc));
        Assert.Equal(0.5, auc);
    }

    [Fact]
    public void Platt_calibration_follows_the_contract_formula()
    {
        var calibration = new PlattCalibration { A = 2.0, B = -1.0 };
        Assert.Equal(1.0 / (1.0 + Math.Exp(-(2.0 * 0.75 - 1.0))), calibration.ToProbability(0.75f), 12);
        Assert.Equal(0.5, calibration.ToProbability(0.5f), 12);
    }

    [Fact]
    public void Flipped_byte_in_model_is_a_hash_mismatch()
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents["model.onnx"][files.Contents["model.onnx"].Length / 2] ^= 0x01;
        AssertRefused(files, BundleErrorCode.HashMismatch, "model.onnx");
    }

    [Fact]
    public void Changed_parity_file_is_a_hash_mismatch()
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents["parity.json"][10] ^= 0x20;
        AssertRefused(files, BundleErrorCode.HashMismatch, "parity.json");
    }

    [Fact]
    public void Edited_manifest_is_a_signature_failure_even_with_a_matching_hash()
    {
        // The attacker swaps the model AND updates its hash in the manifest: only the signature stops it.
        MemoryBundleSource files = Fixture.Files();
        files.Contents["model.onnx"][100] ^= 0x01;
        files.RehashIntoManifest("model.onnx");
        AssertRefused(files, BundleErrorCode.SignatureInvalid, "changed after signing");
    }

    [Fact]
    public void Manifest_signed_by_another_key_is_untrusted()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        MemoryBundleSource files = Fixture.Files();
        string otherId = TrustedKeys.KeyIdOf(other.ExportSubjectPublicKeyInfo());
        files.EditManifest(Fixture.TrustedKeys().KeyIds[0], otherId).Sign(other);
        BundleException e = AssertRefused(files, BundleErrorCode.UntrustedKey, otherId);
        Assert.DoesNotContain("BEGIN", e.Message, StringComparison.Ordinal); // never key material
    }

    [Fact]
    public void Another_key_claiming_the_trusted_key_id_is_still_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        MemoryBundleSource files = Fixture.Files().Sign(other);
        AssertRefused(files, BundleErrorCode.SignatureInvalid);
    }

    [Fact]
    public void Properly_signed_manifest_for_another_tokenizer_is_a_tokenizer_mismatch()
    {
        using ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files().EditManifest("\"tokenizer\": \"fe-tok-1\"", "\"tokenizer\": \"fe-tok-0\"").Sign(key);
        AssertRefused(files, BundleErrorCode.TokenizerMismatch, "fe-tok-0");
    }

    [Theory]
    [InlineData("\"seq_len\": 48", "\"seq_len\": 64", BundleErrorCode.ContractMismatch)]
    [InlineData("\"input_name\": \"tokens\"", "\"input_name\": \"input_ids\"", BundleErrorCode.ContractMismatch)]
    [InlineData("\"output_name\": \"logit\"", "\"output_name\": \"prob\"", BundleErrorCode.ContractMismatch)]
    [InlineData("\"format\": \"fe-bundle-1\"", "\"format\": \"fe-bundle-2\"", BundleErrorCode.UnsupportedFormat)]
    [InlineData("\"review\": 0.2", "\"review\": 0.7", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"method\": \"platt\"", "\"method\": \"isotonic\"", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 0", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 200", BundleErrorCode.ContractMismatch)] // below the tokenizer's ids
    [InlineData("\"vocab_size\": 512", "\"vocab_size\": 400", BundleErrorCode.ParityInvalid)]    // parity uses id 511
    [InlineData("\"model.onnx\":", "\"../model.onnx\":", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"seq_len\": 48,", "\"seq_len\": 48, \"seq_len\": 48,", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"seq_len\": 48,", "", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"name\": \"fraudedge-fixture\"", "\"name\": \"  \"", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"name\": \"fraudedge-fixture\"", "\"name\": null", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"calibration\": {", "\"calibration\": null, \"x\": {", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"files\": {", "\"files\": null, \"x\": {", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"model.onnx\": \"", "\"model.onnx\": null, \"x\": \"", BundleErrorCode.ManifestInvalid)]
    [InlineData("\"seq_len\": 48", "\"seq_len\": \"48\"", BundleErrorCode.ManifestInvalid)]
    public void Properly_signed_manifest_with_a_bad_field_is_refused(string from, string to, BundleErrorCode expected)
    {
        using ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files().EditManifest(from, to).Sign(key);
        AssertRefused(files, expected);
    }

    [Fact]
    public void Null_descriptive_numbers_do_not_cost_the_model()
    {
        // training/ writes null for a number it could not compute (non-finite): only descriptive fields may be.
        using ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files()
            .EditManifest("\"mflops_per_decision\": 0.0", "\"mflops_per_decision\": null")
            .EditManifest("\"target_review_rate\": 0.01", "\"target_review_rate\": null")
            .EditManifest("\"roc_auc\": 0.5", "\"roc_auc\": null")
            .Sign(key);
        using TrustedKeys keys = Fixture.TrustedKeys();
        ModelBundle bundle = files.Load(keys);
        Assert.Null(bundle.Manifest.Student!.MflopsPerDecision);
        Assert.Null(bundle.Manifest.Thresholds.TargetReviewRate);
        Assert.False(bundle.Manifest.TryGetMetric("test", "roc_auc", out _));
    }

    [Fact]
    public void Signed_manifest_naming_another_key_id_is_refused()
    {
        using ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files().EditManifest(Fixture.TrustedKeys().KeyIds[0], "0123456789abcdef").Sign(key);
        AssertRefused(files, BundleErrorCode.ManifestInvalid, "signing_key_id");
    }

    [Fact]
    public void Manifest_without_model_is_refused()
    {
        using ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files();
        files.EditManifest("\"model.onnx\":", "\"model2.onnx\":").Sign(key);
        files.Contents["model2.onnx"] = files.Contents["model.onnx"];
        AssertRefused(files, BundleErrorCode.ManifestInvalid, "must list model.onnx");
    }

    [Theory]
    [InlineData("manifest.json", BundleErrorCode.ManifestMissing)]
    [InlineData("manifest.sig", BundleErrorCode.SignatureMissing)]
    [InlineData("model.onnx", BundleErrorCode.FileMissing)]
    [InlineData("parity.json", BundleErrorCode.FileMissing)]
    [InlineData("model.batch.onnx", BundleErrorCode.FileMissing)] // listed, so required
    public void Missing_file_is_refused(string fileName, BundleErrorCode expected)
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents.Remove(fileName);
        AssertRefused(files, expected, fileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void Malformed_signature_is_refused(string signature)
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents["manifest.sig"] = System.Text.Encoding.ASCII.GetBytes(signature);
        AssertRefused(files, BundleErrorCode.SignatureInvalid);
    }

    [Fact]
    public void Signature_with_crlf_line_ending_is_accepted()
    {
        MemoryBundleSource files = Fixture.Files();
        string sig = System.Text.Encoding.ASCII.GetString(files.Contents["manifest.sig"]).Trim();
        files.Contents["manifest.sig"] = System.Text.Encoding.ASCII.GetBytes(sig + "\r\n");
        using TrustedKeys keys = Fixture.TrustedKeys();
        Assert.Equal("fraudedge-fixture", files.Load(keys).Manifest.Name);
    }

    [Fact]
    public void Unlisted_files_are_ignored()
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents["notes.txt"] = new byte[10];
        using TrustedKeys keys = Fixture.TrustedKeys();
        Assert.Equal("fraudedge-fixture", files.Load(keys).Manifest.Name);
    }

    [Fact]
    public void Oversized_manifest_is_refused_before_it_is_parsed()
    {
        MemoryBundleSource files = Fixture.Files();
        files.Contents["manifest.json"] = new byte[64 * 1024 + 1];
        AssertRefused(files, BundleErrorCode.FileTooLarge, "manifest.json");
    }

    [Fact]
    public void Oversized_model_on_disk_is_refused_from_its_length()
    {
        using TempDirectory dir = TempDirectory.CopyOf(Fixture.BundleDirectory);
        // Sparse 17 MiB file: refused from its length, never read (the test stays fast and small).
        using (var stream = new FileStream(Path.Combine(dir.Path, "model.onnx"), FileMode.Open, FileAccess.Write))
            stream.SetLength(17L * 1024 * 1024);
        using TrustedKeys keys = Fixture.TrustedKeys();
        BundleException e = Assert.Throws<BundleException>(() => ModelBundle.Load(dir.Path, keys));
        Assert.Equal(BundleErrorCode.FileTooLarge, e.Code);
    }

    [Fact]
    public void Tampered_model_on_disk_is_refused()
    {
        using TempDirectory dir = TempDirectory.CopyOf(Fixture.BundleDirectory);
        string model = Path.Combine(dir.Path, "model.onnx");
        byte[] bytes = File.ReadAllBytes(model);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(model, bytes);
        using TrustedKeys keys = Fixture.TrustedKeys();
        Assert.Equal(BundleErrorCode.HashMismatch, Assert.Throws<BundleException>(() => ModelBundle.Load(dir.Path, keys)).Code);
    }

    [Fact]
    public void Missing_folder_is_refused()
    {
        using TrustedKeys keys = Fixture.TrustedKeys();
        BundleException e = Assert.Throws<BundleException>(() => ModelBundle.Load("/nonexistent/fraudedge-bundle", keys));
        Assert.Equal(BundleErrorCode.ManifestMissing, e.Code);
    }

    [Fact]
    public void Empty_trusted_key_set_refuses_everything()
    {
        using TrustedKeys none = TrustedKeys.FromPem(Array.Empty<string>());
        BundleException e = Assert.Throws<BundleException>(() => ModelBundle.Load(Fixture.BundleDirectory, none));
        Assert.Equal(BundleErrorCode.NoTrustedKeys, e.Code);
    }

    [Fact]
    public void Bundle_verifies_when_its_key_is_one_of_several_trusted_keys()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using TrustedKeys keys = TrustedKeys.FromPem(other.ExportSubjectPublicKeyInfoPem(), Fixture.PublicKeyPem);
        Assert.Equal(2, keys.Count);
        Assert.Equal("fraudedge-fixture", ModelBundle.Load(Fixture.BundleDirectory, keys).Manifest.Name);
    }

    private static BundleException AssertRefused(MemoryBundleSource files, BundleErrorCode expected, string? messageContains = null)
    {
        using TrustedKeys keys = Fixture.TrustedKeys();
        BundleException e = Assert.Throws<BundleException>(() => files.Load(keys));
        Assert.Equal(expected, e.Code);
        if (messageContains is not null) Assert.Contains(messageContains, e.Message, StringComparison.Ordinal);
        return e;
    }
}
