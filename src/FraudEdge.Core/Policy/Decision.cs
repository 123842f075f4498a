using FraudEdge.Core.Events;

namespace FraudEdge.Core.Policy;

/// <summary>The answer to one event. A struct with no references: returning it allocates nothing.</summary>
public readonly record struct Decision
{
    public ulong EventId { get; init; }
    public Verdict Verdict { get; init; }
    /// <summary>1–99; piecewise linear in the calibrated probability with the review threshold at 50 and deny at 80.</summary>
    public byte RiskScore { get; init; }
    /// <summary>Calibrated fraud probability (NaN when the rules decided).</summary>
    public float Probability { get; init; }
    /// <summary>The model's raw output, exact bits kept for audit replay (NaN when the rules decided).</summary>
    public float Logit { get; init; }
    public ReasonCode Reasons { get; init; }
    public DecisionSource Source { get; init; }
    /// <summary>Wall time inside the engine for this decision, µs.</summary>
    public int ElapsedMicroseconds { get; init; }
    /// <summary>Why the event was refused; <see cref="ValidationResult.IsValid"/> for decided events.</summary>
    public ValidationResult Rejection { get; init; }

    public bool IsRejected => !Rejection.IsValid;

    public bool IsFallback => Source is not DecisionSource.Model;
}
