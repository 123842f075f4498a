using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Core;

/// <summary>
/// Explanation support (`fraudedge explain`): the tokens of the last evaluated event, and scoring a caller-provided
/// token sequence through the loaded model and its policy. Neither touches the history, the counters or the audit log.
/// </summary>
public sealed partial class FraudEngine
{
    /// <summary>
    /// Copies the fe-tok-1 sequence of the last event <see cref="Evaluate"/> tokenized (the last one that passed
    /// validation; a rejected event leaves the previous sequence) into <paramref name="destination"/>. Allocation-free.
    /// </summary>
    public void CopyLastTokens(Span<int> destination)
    {
        if (destination.Length < Tokenizer.SequenceLength)
            throw new ArgumentException($"the token buffer must hold {Tokenizer.SequenceLength} ids", nameof(destination));
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _tokens.AsSpan().CopyTo(destination);
        }
    }

    /// <summary>
    /// Scores <paramref name="tokens"/> (48 ids) through the model in force and calibrates it as a decision would:
    /// verdict, risk score, probability, logit, and the reason codes the tokens derive. Runs under the profile's
    /// deadline; nothing is remembered or logged. Allocation-free. Not <see cref="ScoreStatus.Ok"/> (and a default
    /// decision) when no model is loaded (<see cref="ScoreStatus.Failed"/>) or the run did not complete.
    /// </summary>
    public ScoreStatus ScoreTokens(ReadOnlySpan<int> tokens, out Decision decision)
    {
        decision = new Decision { Probability = float.NaN, Logit = float.NaN, Source = DecisionSource.RulesModelUnavailable };
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_model is not { } model) return ScoreStatus.Failed;
            ScoreStatus status = model.Scorer.TryScore(tokens, out float logit);
            if (status != ScoreStatus.Ok) return status;
            double p = model.Policy.Calibrate(logit);
            decision = new Decision
            {
                Verdict = model.Policy.VerdictFor(p), RiskScore = model.Policy.RiskScore(p), Probability = (float)p, Logit = logit,
                Reasons = ReasonCodes.FromTokens(tokens), Source = DecisionSource.Model, Rejection = ValidationResult.Ok,
            };
            return ScoreStatus.Ok;
        }
    }
}
