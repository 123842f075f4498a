using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Core;

/// <summary>
/// What a decision needs besides the model run, captured in history order by <see cref="FraudEngine.EvaluateDeferred"/>:
/// the tokens are in the caller's buffer; this holds the event id, the token-derived reasons and what the rules would
/// answer if the model does not (they read the history as it stood before the event).
/// </summary>
internal readonly record struct DeferredScore(ulong EventId, ReasonCode Reasons, Verdict RuleVerdict, ReasonCode RuleHits);

/// <summary>
/// Pipelined audit replay (`fraudedge replay --threads N`): one engine walks the log in order — validation, history,
/// tokenizer, rules — without running the model; other engines, one per thread, score the tokens later and turn the
/// logit into the decision <see cref="Evaluate"/> would have answered (same policy code, <see cref="ModelDecision"/>
/// and <see cref="RulesDecision"/>). Scoring given the tokens does not depend on the history, so it parallelises.
/// </summary>
public sealed partial class FraudEngine
{
    /// <summary>
    /// <see cref="Evaluate"/> up to the model run: validates, describes the history, tokenizes into
    /// <paramref name="tokens"/>, asks the rules, then lets the history observe the event. Returns true when the model
    /// must still score <paramref name="tokens"/> (finish with <see cref="CompleteDeferred"/> on an engine holding the
    /// same bundle); false when <paramref name="decision"/> is already final (a rejected event, or no model: the rules
    /// decided). Not for an audited engine (nothing is logged) and the verdict counters are not updated.
    /// </summary>
    internal bool EvaluateDeferred(in TransactionEvent evt, Span<int> tokens, out Decision decision, out DeferredScore pending)
    {
        if (tokens.Length < Tokenizer.SequenceLength)
            throw new ArgumentException($"the token buffer must hold {Tokenizer.SequenceLength} ids", nameof(tokens));
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_audit is not null) throw new InvalidOperationException("deferred scoring is for replay engines, which have no audit log");
            pending = default;
            var validation = EventValidator.Validate(evt, _history.LastTimestamp(evt.TerminalId));
            if (!validation.IsValid)
            {
                decision = new Decision { EventId = evt.EventId, Rejection = validation, Probability = float.NaN, Logit = float.NaN };
                _rejected++;
                return false;
            }

            _history.Describe(evt, out EventContext context);
            Tokenizer.Tokenize(evt, context, _tokens);
            ReasonCode reasons = ReasonCodes.FromTokens(_tokens);
            Verdict ruleVerdict = _rules.Decide(evt, context, out ReasonCode hits);
            _tokens.AsSpan().CopyTo(tokens);
            _history.Observe(evt);
            if (_model is null)
            {
                decision = RulesDecision(evt.EventId, ruleVerdict, reasons | hits | ReasonCode.ModelUnavailable, DecisionSource.RulesModelUnavailable);
                Count(decision);
                return false;
            }
            decision = default;
            pending = new DeferredScore(evt.EventId, reasons, ruleVerdict, hits);
            return true;
        }
    }

    /// <summary>
    /// Scores tokens an <see cref="EvaluateDeferred"/> produced with this engine's model and returns the decision
    /// <see cref="Evaluate"/> would have answered: the calibrated model decision, or — the run failed or missed the
    /// deadline — the rules' answer with the matching fallback source and reason. Touches no history.
    /// </summary>
    internal Decision CompleteDeferred(ReadOnlySpan<int> tokens, in DeferredScore pending)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            DecisionSource fallback = DecisionSource.RulesModelUnavailable;
            ReasonCode fallbackReason = ReasonCode.ModelUnavailable;
            if (_model is { } model)
            {
                ScoreStatus status = model.Scorer.TryScore(tokens, out float logit);
                if (status == ScoreStatus.Ok) return ModelDecision(model.Policy, pending.EventId, logit, pending.Reasons);
                if (status == ScoreStatus.DeadlineExceeded)
                {
                    _deadlineMisses++;
                    fallback = DecisionSource.RulesDeadlineExceeded;
                    fallbackReason = ReasonCode.ModelDeadlineExceeded;
                }
                else
                {
                    fallback = DecisionSource.RulesModelError;
                    fallbackReason = ReasonCode.ModelError;
                    CoreLog.ModelFailed(_logger, pending.EventId);
                }
            }
            return RulesDecision(pending.EventId, pending.RuleVerdict, pending.Reasons | pending.RuleHits | fallbackReason, fallback);
        }
    }
}
