using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Scoring;

/// <summary>Parity: the deployed graph, on this CPU and this ORT build, against the exporter's reference.</summary>
public sealed partial class OnnxScorer
{
    /// <summary>Runs every parity vector (without a deadline) and compares with the expected logits.</summary>
    public ParityResult CheckParity(ParityVectors parity)
    {
        ArgumentNullException.ThrowIfNull(parity);
        int failures = 0, worst = -1;
        double maxDiff = 0;
        for (int i = 0; i < parity.Vectors.Count; i++)
        {
            ParityVector vector = parity.Vectors[i];
            // A vector that does not score at all counts as an infinite difference.
            double diff = TryScore(vector.Tokens, deadlineMicroseconds: 0, out float logit) == ScoreStatus.Ok
                ? Math.Abs(logit - vector.Logit)
                : double.PositiveInfinity;
            if (!(diff <= parity.ToleranceAbs)) failures++;
            if (worst < 0 || diff > maxDiff)
            {
                maxDiff = diff;
                worst = i;
            }
        }
        return new ParityResult(parity.Vectors.Count, failures, maxDiff, worst, parity.ToleranceAbs);
    }

    /// <summary>
    /// Refuses a model that does not reproduce its parity vectors here (e.g. an int8 kernel that differs on
    /// this CPU): better to decide by rules than by a model that computes something training never measured.
    /// </summary>
    /// <exception cref="BundleException"><see cref="BundleErrorCode.ParityFailed"/>.</exception>
    public ParityResult VerifyParity(ParityVectors parity)
    {
        ParityResult result = CheckParity(parity);
        if (!result.Passed)
            throw new BundleException(BundleErrorCode.ParityFailed, $"{Source}: {result}");
        return result;
    }
}
