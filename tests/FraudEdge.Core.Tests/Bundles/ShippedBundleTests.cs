using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;

namespace FraudEdge.Core.Tests.Bundles;

/// <summary>The bundle FraudEdge ships (embedded default), verified with the embedded TEST key.</summary>
[Collection(Scoring.ScoringCollection.Name)]
public sealed class ShippedBundleTests
{
    [ShippedModelFact]
    public void Shipped_bundle_verifies_with_the_embedded_test_key()
    {
        using TrustedKeys keys = TrustedKeys.EmbeddedTestKey();
        ModelBundle bundle = ModelBundle.LoadEmbedded(keys);
        Assert.Equal("fe-bundle-1", bundle.Manifest.Format);
        Assert.Equal("fraudedge-slm", bundle.Manifest.Name);
        Assert.Equal(keys.KeyIds[0], bundle.Manifest.SigningKeyId);
        Assert.Equal("embedded:fraudedge-slm", bundle.Source);
    }

    [ShippedModelFact]
    public void Shipped_bundle_is_refused_when_only_another_key_is_trusted()
    {
        using TrustedKeys fixtureKey = Fixture.TrustedKeys();
        Assert.Equal(BundleErrorCode.UntrustedKey, Assert.Throws<BundleException>(() => ModelBundle.LoadEmbedded(fixtureKey)).Code);
    }

    [ShippedModelFact]
    public void Shipped_model_reproduces_its_parity_vectors_under_every_profile()
    {
        using TrustedKeys keys = TrustedKeys.EmbeddedTestKey();
        ModelBundle bundle = ModelBundle.LoadEmbedded(keys);
        foreach (string name in HardwareProfiles.EmbeddedNames())
        {
            HardwareProfile profile = HardwareProfiles.LoadEmbedded(name);
            using OnnxScorer scorer = OnnxScorer.Create(bundle, profile.Scoring);
            ParityResult result = scorer.CheckParity(bundle.Parity);
            Assert.True(result.Passed, $"{name}: {result}");
        }
    }

    [ShippedModelFact]
    public void Shipped_model_scores_with_zero_allocation()
    {
        using TrustedKeys keys = TrustedKeys.EmbeddedTestKey();
        ModelBundle bundle = ModelBundle.LoadEmbedded(keys);
        using OnnxScorer scorer = OnnxScorer.Create(bundle, new ScoringLimits { IntraOpThreads = 1, DeadlineMicroseconds = 1_000_000 });
        int[][] inputs = [.. bundle.Parity.Vectors.Select(v => v.Tokens)];
        for (int i = 0; i < 1_000; i++) scorer.TryScore(inputs[i % inputs.Length], out _);
        int ok = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            if (scorer.TryScore(inputs[i % inputs.Length], out _) == ScoreStatus.Ok) ok++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, ok);
        Assert.Equal(0, allocated);
    }

    [ShippedModelFact]
    public void Shipped_batch_model_if_present_reproduces_parity_one_row_at_a_time()
    {
        // One row per run: the int8 graph's dynamic activation scale spans the batch, so only batch 1 is
        // comparable with the per-sequence reference (see BatchScorer).
        using TrustedKeys keys = TrustedKeys.EmbeddedTestKey();
        ModelBundle bundle = ModelBundle.LoadEmbedded(keys);
        if (!bundle.HasBatchModel) return; // optional in fe-bundle-1
        using BatchScorer batch = BatchScorer.Create(bundle, 1);
        float[] logit = new float[1];
        foreach (ParityVector vector in bundle.Parity.Vectors)
        {
            Assert.Equal(ScoreStatus.Ok, batch.TryScore(vector.Tokens, logit));
            Assert.InRange(Math.Abs(logit[0] - vector.Logit), 0, bundle.Parity.ToleranceAbs);
        }
    }

    [Fact]
    public void Missing_embedded_bundle_is_reported_as_a_missing_manifest()
    {
        var source = new EmbeddedBundleSource(typeof(ModelBundle).Assembly, "no-such-bundle");
        using TrustedKeys keys = Fixture.TrustedKeys();
        Assert.False(source.Exists);
        Assert.Equal(BundleErrorCode.ManifestMissing, Assert.Throws<BundleException>(() => ModelBundle.Load(source, keys)).Code);
    }
}
