using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Scoring;

[Collection(ScoringCollection.Name)]
public sealed class BatchScorerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(64)]
    public void Batches_reproduce_parity_and_the_single_scorer(int batchSize)
    {
        ModelBundle bundle = Fixture.Load();
        using BatchScorer batch = BatchScorer.Create(bundle, batchSize);
        using OnnxScorer single = OnnxScorer.Create(bundle, new ScoringLimits { IntraOpThreads = 1, DeadlineMicroseconds = 1_000_000 });
        IReadOnlyList<ParityVector> vectors = bundle.Parity.Vectors;
        float[] logits = new float[batchSize];
        for (int start = 0; start < vectors.Count; start += batchSize)
        {
            int rows = Math.Min(batchSize, vectors.Count - start); // the last batch may be short (padded)
            int[] tokens = [.. Enumerable.Range(start, rows).SelectMany(i => vectors[i].Tokens)];
            Assert.Equal(ScoreStatus.Ok, batch.TryScore(tokens, logits));
            for (int r = 0; r < rows; r++)
            {
                Assert.InRange(Math.Abs(logits[r] - vectors[start + r].Logit), 0, bundle.Parity.ToleranceAbs);
                Assert.Equal(ScoreStatus.Ok, single.TryScore(vectors[start + r].Tokens, out float alone));
                Assert.InRange(Math.Abs(logits[r] - alone), 0, 1e-5);
            }
        }
    }

    [Fact]
    public void Batch_scoring_allocates_nothing_in_steady_state()
    {
        ModelBundle bundle = Fixture.Load();
        using BatchScorer batch = BatchScorer.Create(bundle, 16);
        int[] tokens = [.. bundle.Parity.Vectors.SelectMany(v => v.Tokens)];
        float[] logits = new float[16];
        for (int i = 0; i < 100; i++) batch.TryScore(tokens, logits);
        int ok = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            if (batch.TryScore(tokens, logits) == ScoreStatus.Ok) ok++; // no Assert in the loop: xunit's allocate
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1_000, ok);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(47)]
    [InlineData(48 * 17)]
    public void Wrong_sizes_are_refused(int tokenCount)
    {
        using BatchScorer batch = BatchScorer.Create(Fixture.Load(), 16);
        Assert.Equal(ScoreStatus.InvalidInput, batch.TryScore(new int[tokenCount], new float[17]));
    }

    [Fact]
    public void Bundle_without_a_batch_model_is_refused()
    {
        using System.Security.Cryptography.ECDsa key = Fixture.SigningKey();
        MemoryBundleSource files = Fixture.Files();
        string text = files.ManifestText;
        int at = text.IndexOf(",\n    \"model.batch.onnx\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        files.ManifestText = text.Remove(at, ",\n    \"model.batch.onnx\": \"".Length + 64 + 1);
        files.Contents.Remove("model.batch.onnx");
        files.Sign(key);
        using TrustedKeys keys = Fixture.TrustedKeys();
        ModelBundle bundle = files.Load(keys);
        Assert.False(bundle.HasBatchModel);
        Assert.Equal(BundleErrorCode.ModelInvalid, Assert.Throws<BundleException>(() => BatchScorer.Create(bundle)).Code);
    }
}
