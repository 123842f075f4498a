using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tests.Bundles;
using FsCheck.Xunit;

namespace FraudEdge.Core.Tests.Scoring;

/// <summary>The scorer is total over valid sequences and deterministic (same tokens, same logit).</summary>
[Collection(ScoringCollection.Name)]
public sealed class OnnxScorerProperties : IDisposable
{
    private readonly OnnxScorer _scorer = OnnxScorer.Create(Fixture.Load(), new ScoringLimits { IntraOpThreads = 1, DeadlineMicroseconds = 100_000 });

    [Property(MaxTest = 300)]
    public bool Any_valid_sequence_scores_to_a_finite_logit_deterministically(int[] seed)
    {
        int[] tokens = new int[48];
        for (int i = 0; i < tokens.Length; i++)
            tokens[i] = seed.Length == 0 ? 0 : (int)((uint)seed[i % seed.Length] % 512);
        return _scorer.TryScore(tokens, out float first) == ScoreStatus.Ok
            && float.IsFinite(first)
            && _scorer.TryScore(tokens, out float second) == ScoreStatus.Ok
            && BitConverter.SingleToInt32Bits(first) == BitConverter.SingleToInt32Bits(second);
    }

    public void Dispose() => _scorer.Dispose();
}
