namespace FraudEdge.Core.Scoring;

/// <summary>
/// Outcome of one model evaluation. Anything but <see cref="Ok"/> means the caller decides without the
/// model (rules-only fallback) and says so in the decision. Values are stable (logged and audited).
/// </summary>
public enum ScoreStatus
{
    /// <summary>The logit is valid.</summary>
    Ok = 0,
    /// <summary>The run was terminated because it passed its deadline; the logit is not available.</summary>
    DeadlineExceeded = 1,
    /// <summary>The token sequence has the wrong length or an id outside the model's vocabulary.</summary>
    InvalidInput = 2,
    /// <summary>ONNX Runtime failed the run (see <see cref="OnnxScorer.LastError"/>).</summary>
    Failed = 3,
    /// <summary>The model produced NaN or an infinity.</summary>
    InvalidOutput = 4,
}
