using System.Diagnostics;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudEdge.Core;

/// <summary>
/// The decision core that host software links, the service wraps and the replay tool re-runs:
/// validate → describe history → tokenize (fe-tok-1) → score (ONNX Runtime) → policy → remember.
/// Every buffer is allocated here, once; <see cref="Evaluate"/> allocates nothing in steady state.
/// Thread-safe: decisions are serialised, because each one reads the history the previous one wrote.
/// With <see cref="FraudEngineOptions.Audit"/>, every answer, outcome notice and model change is appended to the
/// hash-chained audit log (docs/audit-log.md) before the caller sees it and before the history changes.
/// </summary>
public sealed partial class FraudEngine : IDisposable
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly TerminalHistory _history;
    private readonly RulesFallback _rules;
    private readonly int[] _tokens = new int[Tokenizer.SequenceLength];
    private readonly TrustedKeys? _trustedKeys;
    private readonly bool _ownsTrustedKeys;
    private readonly AuditLog? _audit;
    private ModelState? _model;
    private BundleException? _refusal;
    private long _allowed, _reviewed, _denied, _rejected, _fallbacks, _deadlineMisses, _outcomes;
    private bool _disposed;

    /// <summary>A loaded model with the policy its manifest (and the profile) define.</summary>
    private sealed class ModelState(ModelBundle bundle, OnnxScorer scorer, DecisionPolicy policy) : IDisposable
    {
        public ModelBundle Bundle { get; } = bundle;
        public OnnxScorer Scorer { get; } = scorer;
        public DecisionPolicy Policy { get; } = policy;
        /// <summary>The model as the audit log names it, encoded once so decision records copy bytes.</summary>
        public AuditModelStamp Stamp { get; } = AuditModelStamp.For(bundle);
        public void Dispose() => Scorer.Dispose();
    }

    public FraudEngine(FraudEngineOptions? options = null)
    {
        options ??= new FraudEngineOptions();
        Profile = options.Profile ?? HardwareProfiles.LoadEmbedded();
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FraudEdge.Core.FraudEngine");
        // The embedded TEST key vouches only for the bundle embedded next to it. A bundle from a folder must
        // be signed by a key the deployment configured: its private half is not in this repository.
        _ownsTrustedKeys = options.TrustedKeys is null && options.ModelDirectory is null && !options.RulesOnly;
        _trustedKeys = options.TrustedKeys ?? (_ownsTrustedKeys ? TrustedKeys.EmbeddedTestKey() : null);
        _rules = new RulesFallback(Profile.Rules);

        // A corrupt audit log refuses the start (AuditLogException) before anything expensive is loaded.
        if (options.Audit is { } audit)
            _audit = AuditLog.Open(audit, (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FraudEdge.Core.Audit.AuditLog"));
        try
        {
            _history = new TerminalHistory(Profile.History);
            if (options.SnapshotPath is string snapshot && File.Exists(snapshot))
            {
                if (HistorySnapshot.TryRead(snapshot, Profile.History, out var restored, out var error))
                {
                    _history = restored!;
                    CoreLog.SnapshotRestored(_logger, snapshot);
                }
                else
                {
                    CoreLog.SnapshotIgnored(_logger, snapshot, error.ToString());
                }
            }

            if (!options.RulesOnly)
            {
                try
                {
                    _model = LoadModel(options.ModelDirectory);
                }
                catch (BundleException e)
                {
                    _refusal = e;
                    CoreLog.BundleRefused(_logger, options.ModelDirectory ?? "embedded", e.Code.ToString(), e.Message);
                }
            }
            // "Which model was in force" is answerable from the log alone: one record now, one per reload.
            _audit?.AppendModelLoaded(AuditModelChange.EngineStart, _model?.Stamp ?? AuditModelStamp.None, _model is null ? _refusal?.Code : null);
        }
        catch
        {
            _model?.Dispose();
            _audit?.Dispose();
            throw;
        }
        CoreLog.EngineStarted(_logger, Profile.Name, _model?.Bundle.Manifest.Name ?? "none (rules only)",
            _model?.Bundle.Manifest.Version ?? "-", _model?.Bundle.ManifestSha256 ?? "-", _history.TableBytes);
    }

    public HardwareProfile Profile { get; }

    /// <summary>The bundle in force, or null when deciding by rules only.</summary>
    public ModelBundle? Model => _model?.Bundle;

    /// <summary>Why the last bundle offered was refused, or null.</summary>
    public BundleException? ModelRefusal => _refusal;

    /// <summary>What opening the audit log found (a torn tail truncated, ...), or null without an audit log.</summary>
    public AuditRecovery? AuditRecovery => _audit?.Recovery;

    /// <summary>Decides one event. Invalid events are rejected (history untouched), never thrown.</summary>
    public Decision Evaluate(in TransactionEvent evt)
    {
        long start = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var validation = EventValidator.Validate(evt, _history.LastTimestamp(evt.TerminalId));
            if (!validation.IsValid)
            {
                CoreLog.EventRejected(_logger, evt.EventId, validation.Code, validation.Field);
                var rejected = new Decision { EventId = evt.EventId, Rejection = validation, Probability = float.NaN, Logit = float.NaN };
                _audit?.AppendDecision(evt, rejected, _model?.Stamp ?? AuditModelStamp.None);
                _rejected++;
                return rejected;
            }

            _history.Describe(evt, out EventContext context);
            Tokenizer.Tokenize(evt, context, _tokens);
            ReasonCode reasons = ReasonCodes.FromTokens(_tokens);
            Decision decision = Decide(evt, context, reasons);
            if (_audit is not null)
            {
                // Logged exactly as answered, durable as the profile says, before the history learns the event:
                // nobody acts on an unlogged decision, and the log alone rebuilds the history. A failed write
                // throws (fail closed) and leaves the history as it was.
                decision = decision with { ElapsedMicroseconds = ElapsedMicroseconds(start) };
                _audit.AppendDecision(evt, decision, _model?.Stamp ?? AuditModelStamp.None);
                _history.Observe(evt);
                Count(decision);
                return decision;
            }
            _history.Observe(evt);
            Count(decision);
            return decision with { ElapsedMicroseconds = ElapsedMicroseconds(start) };
        }
    }

    private static int ElapsedMicroseconds(long start) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(start).Ticks / 10);

    private void Count(in Decision decision)
    {
        switch (decision.Verdict)
        {
            case Verdict.Allow: _allowed++; break;
            case Verdict.Review: _reviewed++; break;
            default: _denied++; break;
        }
        if (decision.IsFallback) _fallbacks++;
    }

    private Decision Decide(in TransactionEvent evt, in EventContext context, ReasonCode reasons)
    {
        DecisionSource fallback = DecisionSource.RulesModelUnavailable;
        ReasonCode fallbackReason = ReasonCode.ModelUnavailable;
        if (_model is { } model)
        {
            ScoreStatus status = model.Scorer.TryScore(_tokens, out float logit);
            if (status == ScoreStatus.Ok)
            {
                return ModelDecision(model.Policy, evt.EventId, logit, reasons);
            }
            if (status == ScoreStatus.DeadlineExceeded)
            {
                _deadlineMisses++;
                fallback = DecisionSource.RulesDeadlineExceeded;
                fallbackReason = ReasonCode.ModelDeadlineExceeded;
                CoreLog.DeadlineExceeded(_logger, Profile.Scoring.DeadlineMicroseconds, evt.EventId);
            }
            else
            {
                fallback = DecisionSource.RulesModelError;
                fallbackReason = ReasonCode.ModelError;
                CoreLog.ModelFailed(_logger, evt.EventId);
            }
        }
        Verdict ruleVerdict = _rules.Decide(evt, context, out ReasonCode hits);
        return RulesDecision(evt.EventId, ruleVerdict, reasons | hits | fallbackReason, fallback);
    }

    /// <summary>The decision a model logit makes (shared by <see cref="Evaluate"/> and the replay's deferred scoring).</summary>
    private static Decision ModelDecision(DecisionPolicy policy, ulong eventId, float logit, ReasonCode reasons)
    {
        double p = policy.Calibrate(logit);
        Verdict verdict = policy.VerdictFor(p);
        return new Decision
        {
            EventId = eventId, Verdict = verdict, RiskScore = policy.RiskScore(p), Probability = (float)p,
            Logit = logit, Reasons = reasons, Source = DecisionSource.Model, Rejection = ValidationResult.Ok,
        };
    }

    /// <summary>The decision the rules make when the model does not answer (<paramref name="reasons"/> already holds the rule hits and the fallback reason).</summary>
    private static Decision RulesDecision(ulong eventId, Verdict ruleVerdict, ReasonCode reasons, DecisionSource fallback) => new()
    {
        EventId = eventId, Verdict = ruleVerdict, RiskScore = RulesFallback.ScoreFor(ruleVerdict), Probability = float.NaN,
        Logit = float.NaN, Reasons = reasons, Source = fallback, Rejection = ValidationResult.Ok,
    };

    /// <summary>Feeds an issuer response or a late fraud label into the history.</summary>
    public ValidationResult Record(in OutcomeNotice notice)
    {
        var validation = EventValidator.Validate(notice);
        if (!validation.IsValid)
        {
            if (_audit is not null)
            {
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    _audit.AppendOutcome(notice, validation.Code); // refused notices too: the log shows what arrived
                }
            }
            return validation;
        }
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _audit?.AppendOutcome(notice, ValidationErrorCode.None);
            _history.Record(notice);
            _outcomes++;
        }
        return validation;
    }

    /// <summary>
    /// Swaps in a new bundle after full verification. A refused bundle leaves the current model in force.
    /// </summary>
    public void ReloadModel(string directory)
    {
        ModelState next;
        try
        {
            next = LoadModel(directory);
        }
        catch (BundleException e)
        {
            lock (_lock) _refusal = e;
            CoreLog.ReloadRefused(_logger, directory, e.Code.ToString(), e.Message, _model?.Bundle.Manifest.Name ?? "none", _model?.Bundle.Manifest.Version ?? "-");
            throw;
        }
        ModelState? previous;
        lock (_lock)
        {
            if (_audit is not null)
            {
                try
                {
                    _audit.AppendModelLoaded(AuditModelChange.Reload, next.Stamp);
                }
                catch
                {
                    next.Dispose(); // not logged, so not swapped in
                    throw;
                }
            }
            previous = _model;
            _model = next;
            _refusal = null;
        }
        previous?.Dispose();
        CoreLog.ModelReloaded(_logger, next.Bundle.Manifest.Name, next.Bundle.Manifest.Version, next.Bundle.ManifestSha256);
    }

    /// <summary>Writes the history atomically (temp file, fsync, rename) so a restart keeps it.</summary>
    public void SaveSnapshot(string path)
    {
        lock (_lock)
        {
            HistorySnapshot.Write(_history, path);
        }
        CoreLog.SnapshotWritten(_logger, path);
    }

    public EngineStatus Status()
    {
        lock (_lock)
        {
            return new EngineStatus
            {
                Profile = Profile.Name, ModelName = _model?.Bundle.Manifest.Name, ModelVersion = _model?.Bundle.Manifest.Version,
                BundleSha256 = _model?.Bundle.ManifestSha256, ModelRefusal = _refusal?.Code, ModelRefusalMessage = _refusal?.Message,
                Tokenizer = Tokenizer.Version, Decisions = _allowed + _reviewed + _denied, Allowed = _allowed, Reviewed = _reviewed,
                Denied = _denied, Rejected = _rejected, Fallbacks = _fallbacks, DeadlineMisses = _deadlineMisses, OutcomesRecorded = _outcomes,
                HistoryTableBytes = _history.TableBytes, AuditRecords = _audit?.RecordsAppended ?? 0,
                AuditHead = _audit?.Head, AuditDurableRecord = _audit?.DurableRecordNumber,
            };
        }
    }

    private ModelState LoadModel(string? directory)
    {
        if (_trustedKeys is null)
            throw new BundleException(BundleErrorCode.NoTrustedKeys, "a bundle loaded from a folder needs FraudEngineOptions.TrustedKeys; the embedded test key only vouches for the embedded bundle");
        ModelBundle bundle = directory is null ? ModelBundle.LoadEmbedded(_trustedKeys) : ModelBundle.Load(directory, _trustedKeys);
        var m = bundle.Manifest;
        double review = Profile.Scoring.ReviewThreshold ?? m.Thresholds.Review;
        double deny = Profile.Scoring.DenyThreshold ?? m.Thresholds.Deny;
        var policy = new DecisionPolicy(m.Calibration.A, m.Calibration.B, review, deny);
        var scorer = OnnxScorer.Create(bundle, Profile.Scoring);
        return new ModelState(bundle, scorer, policy);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _model?.Dispose();
            _model = null;
            _audit?.Dispose(); // final fsync
        }
        if (_ownsTrustedKeys) _trustedKeys?.Dispose();
    }
}
