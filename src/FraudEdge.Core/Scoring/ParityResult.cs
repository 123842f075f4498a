namespace FraudEdge.Core.Scoring;

/// <summary>How the model on this device reproduced its bundle's parity vectors.</summary>
/// <param name="Vectors">Vectors run.</param>
/// <param name="Failures">Vectors whose logit differs by more than the tolerance (or did not score).</param>
/// <param name="MaxAbsDifference">Largest |logit − expected| (infinite when a vector did not score).</param>
/// <param name="WorstIndex">Index of the vector with the largest difference.</param>
/// <param name="ToleranceAbs">The bundle's documented tolerance.</param>
public sealed record ParityResult(int Vectors, int Failures, double MaxAbsDifference, int WorstIndex, double ToleranceAbs)
{
    public bool Passed => Failures == 0;

    public override string ToString() =>
        $"parity {(Passed ? "passed" : "FAILED")}: {Vectors - Failures}/{Vectors} within {ToleranceAbs:G3}, max |diff| {MaxAbsDifference:G3} (vector {WorstIndex})";
}
