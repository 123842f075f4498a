using System.Collections.Concurrent;
using System.Diagnostics;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Cli.Audit;

/// <summary>What to replay a log with (docs/audit-log.md, "Replay").</summary>
public sealed record AuditReplayOptions
{
    /// <summary>Profile of the replaying engine: its history capacities (and thresholds) must be the recording device's.</summary>
    public required HardwareProfile Profile { get; init; }
    /// <summary>Bundle folder; null: the shipped bundle embedded in FraudEdge.Core.</summary>
    public string? ModelDirectory { get; init; }
    /// <summary>Replay with the rules only (as a device with no model).</summary>
    public bool RulesOnly { get; init; }
    /// <summary>Keys a bundle from a folder must be signed with (null: the engine's default for the embedded bundle).</summary>
    public TrustedKeys? TrustedKeys { get; init; }
    /// <summary>Mismatches kept in the report (all are counted).</summary>
    public int MaxMismatches { get; init; } = 100;
    /// <summary>At an engine start after the first: true keeps the rebuilt history (the device restored its snapshot),
    /// false empties it (the device ran without a snapshot).</summary>
    public bool KeepHistoryAcrossRestarts { get; init; } = true;
    /// <summary>
    /// Null: every compared field must be bit-identical. A value: a decision whose rejection, verdict, risk score, source
    /// and reasons are identical and whose probability differs by at most this much (absolute) counts as reproduced
    /// "within tolerance" — for a log recorded on another architecture, whose ONNX Runtime kernels round differently
    /// (docs/audit-log.md, "Replay across architectures").
    /// </summary>
    public double? Tolerance { get; init; }
    /// <summary>
    /// Scoring threads. 1: each decision is evaluated in turn on the one engine (<see cref="FraudEngine.Evaluate"/>).
    /// More: the history walk stays sequential on one thread and the model runs go to this many threads, each with its
    /// own engine and session over the same bundle; the report is the same, decision for decision.
    /// </summary>
    public int Threads { get; init; } = 1;
}

/// <summary>One decision that did not reproduce: what was recorded and what the replay answered.</summary>
public sealed record ReplayMismatch
{
    public ulong Record { get; init; }
    public ulong EventId { get; init; }
    /// <summary>The record's model hash is not the replaying bundle's (or the rules': zero).</summary>
    public bool DifferentModel { get; init; }
    /// <summary>Fields that differ: rejection, verdict, risk_score, source, reasons, logit_bits, probability_bits.</summary>
    public required string[] Fields { get; init; }
    public ReplayAnswer Recorded { get; init; }
    public ReplayAnswer Replayed { get; init; }
}

/// <summary>The compared part of a decision.</summary>
public readonly record struct ReplayAnswer(ValidationErrorCode Rejection, Verdict Verdict, byte RiskScore, DecisionSource Source,
    ReasonCode Reasons, uint LogitBits, uint ProbabilityBits)
{
    public float Probability => BitConverter.UInt32BitsToSingle(ProbabilityBits);
    public float Logit => BitConverter.UInt32BitsToSingle(LogitBits);
}

/// <summary>A model in force while the log was written (one per ModelLoaded record).</summary>
public sealed record ReplayModelInForce(ulong Record, AuditModelChange Change, string Sha256, string Name, string Version, string? Refusal, bool IsReplayingBundle);

public sealed record ReplayReport
{
    public required string Directory { get; init; }
    /// <summary>Set when the log failed verification: nothing was replayed.</summary>
    public AuditProblem? Problem { get; init; }
    public bool StartsAtGenesis { get; init; }
    public string Profile { get; init; } = "";
    /// <summary>The replaying bundle: "name version", or "rules only".</summary>
    public string Model { get; init; } = "";
    /// <summary>Its manifest SHA-256 (zeros for the rules).</summary>
    public string ModelSha256 { get; init; } = "";
    public long Records { get; init; }
    public long Decisions { get; init; }
    public long Identical { get; init; }
    public long Mismatches { get; init; }
    /// <summary>The --tolerance in force (null: bit-exact only).</summary>
    public double? Tolerance { get; init; }
    /// <summary>Decisions whose answer was not bit-identical (mismatches and within-tolerance ones; deadline fallbacks excluded).</summary>
    public long NotBitExact { get; init; }
    /// <summary>Decisions not bit-identical but reproduced within <see cref="Tolerance"/> (same verdict, score, source, reasons).</summary>
    public long WithinTolerance { get; init; }
    /// <summary>Largest |recorded − replayed| probability over decisions where both are finite (0 when all are bit-identical).</summary>
    public double MaxProbabilityDelta { get; init; }
    /// <summary>Largest |recorded − replayed| logit over decisions where both are finite.</summary>
    public double MaxLogitDelta { get; init; }
    /// <summary>Decisions recorded under the replaying bundle (these must reproduce bit-exactly).</summary>
    public long SameModelDecisions { get; init; }
    public long SameModelMismatches { get; init; }
    /// <summary>Decisions recorded under another model (or the rules while replaying a model, or vice versa).</summary>
    public long DifferentModelDecisions { get; init; }
    public long DifferentModelMismatches { get; init; }
    /// <summary>Recorded rules decisions because the model missed its deadline: timing, not reproducible; counted apart.</summary>
    public long RecordedDeadlineMisses { get; init; }
    public long Rejected { get; init; }
    public long OutcomesApplied { get; init; }
    public long OutcomesRefused { get; init; }
    public int EngineStarts { get; init; }
    public IReadOnlyList<ReplayModelInForce> Models { get; init; } = [];
    public IReadOnlyList<ReplayMismatch> MismatchList { get; init; } = [];
    public TimeSpan Elapsed { get; init; }
    public double DecisionsPerSecond => Elapsed > TimeSpan.Zero ? Decisions / Elapsed.TotalSeconds : 0;

    /// <summary>Every decision recorded under the replaying bundle reproduced bit-exactly (or within <see cref="Tolerance"/>), and there was at least one.</summary>
    public bool Reproduced => Problem is null && SameModelMismatches == 0 && (SameModelDecisions > 0 || Decisions == 0);
}

/// <summary>
/// `fraudedge replay`: verifies an audit log, then rebuilds the history from its records in order — outcome notices
/// the recording accepted go to <see cref="FraudEngine.Record"/>, decisions to <see cref="FraudEngine.Evaluate"/>
/// — and compares every recomputed answer with the recorded one: rejection code, verdict, risk score, source,
/// reasons and the logit and probability bits exactly. The history walk is sequential (each decision reads the
/// history the previous one wrote); with <see cref="AuditReplayOptions.Threads"/> above 1 only the walk stays on one
/// thread and the model runs — nearly all the time — go to that many scoring threads, each with its own engine and
/// ONNX Runtime session (batch 1, bit-exact); the answers are compared in record order, so the report is the same.
/// </summary>
public static class AuditReplayer
{
    /// <summary>Decisions handed to a scoring thread at once (≈ 30 ms of model runs on the reference machine).</summary>
    internal const int ChunkSize = 256;

    public static ReplayReport Replay(string directory, AuditReplayOptions options, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options));
        AuditVerifyReport verified = AuditVerifier.Verify(directory);
        string fullPath = Path.GetFullPath(directory);
        if (!verified.Intact)
            return new ReplayReport { Directory = fullPath, Problem = verified.Problem, Records = verified.Records };

        // No deadline while replaying: a slow replay machine must not turn model decisions into rules decisions.
        // (Decisions the device's deadline cut are counted apart, see RecordedDeadlineMisses.)
        options.Profile.Scoring.DeadlineMicroseconds = 0;
        FraudEngine NewEngine() => new(new FraudEngineOptions
        {
            Profile = options.Profile, ModelDirectory = options.ModelDirectory, RulesOnly = options.RulesOnly, TrustedKeys = options.TrustedKeys,
        });

        FraudEngine engine = NewEngine();
        ScoringPipeline? pipeline = null;
        try
        {
            if (!options.RulesOnly && engine.Model is null)
                throw engine.ModelRefusal ?? new BundleException(BundleErrorCode.NoTrustedKeys, "no model loaded");
            AuditHash bundle = engine.Model is { } m ? AuditHash.ParseHex(m.ManifestSha256) : default;
            string model = engine.Model is { } b ? $"{b.Manifest.Name} {b.Manifest.Version}" : "rules only";
            // Without a model there is nothing to run in parallel: the rules are part of the walk.
            if (options.Threads > 1 && engine.Model is not null)
                pipeline = new ScoringPipeline(options.Threads, NewEngine);

            var tally = new Tally(bundle, options);
            long records = 0, applied = 0, refused = 0;
            int starts = 0;
            var models = new List<ReplayModelInForce>();
            long total = Math.Max(1, verified.Records), step = Math.Max(1, total / 200);
            var clock = Stopwatch.StartNew();
            pipeline?.Start(tally);
            using (var reader = new AuditReader(directory))
            {
                while (reader.Read(out AuditRecord record) == AuditReadResult.Record)
                {
                    records++;
                    if (progress is not null && records % step == 0) progress((double)records / total);
                    switch (record.Type)
                    {
                        case AuditRecordType.ModelLoaded:
                        {
                            AuditModelLoaded loaded = record.ModelLoaded!;
                            if (loaded.Change == AuditModelChange.EngineStart)
                            {
                                if (++starts > 1 && !options.KeepHistoryAcrossRestarts)
                                {
                                    engine.Dispose();
                                    engine = NewEngine();
                                }
                            }
                            models.Add(new ReplayModelInForce(record.Number, loaded.Change, loaded.ManifestSha256.ToString(), loaded.Name, loaded.Version,
                                loaded.Refusal?.ToString(), loaded.ManifestSha256 == bundle));
                            break;
                        }
                        case AuditRecordType.Outcome:
                        {
                            AuditOutcome outcome = record.Outcome;
                            // A refused notice never touched the device's history.
                            if (outcome.IsRejected) { refused++; break; }
                            engine.Record(outcome.Notice);
                            applied++;
                            break;
                        }
                        case AuditRecordType.Decision:
                        {
                            if (pipeline is null) tally.Compare(record.Number, record.Decision, engine.Evaluate(record.Decision.Event));
                            else pipeline.Add(engine, record.Number, record.Decision);
                            break;
                        }
                    }
                }
                // The log was verified a moment ago; a problem now means it changed under us.
                if (reader.Problem is { } late)
                {
                    pipeline?.Abandon();
                    return new ReplayReport { Directory = fullPath, Problem = late, Records = records };
                }
            }
            pipeline?.Finish();
            clock.Stop();
            progress?.Invoke(1.0);
            return new ReplayReport
            {
                Directory = fullPath, StartsAtGenesis = verified.StartsAtGenesis, Profile = options.Profile.Name, Model = model,
                ModelSha256 = bundle.ToString(), Records = records, Decisions = tally.Decisions, Identical = tally.Identical,
                Tolerance = options.Tolerance, NotBitExact = tally.NotBitExact, WithinTolerance = tally.WithinTolerance,
                MaxProbabilityDelta = tally.MaxProbabilityDelta, MaxLogitDelta = tally.MaxLogitDelta,
                Mismatches = tally.SameBad + tally.OtherBad, SameModelDecisions = tally.Same, SameModelMismatches = tally.SameBad,
                DifferentModelDecisions = tally.Other, DifferentModelMismatches = tally.OtherBad, RecordedDeadlineMisses = tally.Deadline,
                Rejected = tally.Rejected, OutcomesApplied = applied, OutcomesRefused = refused, EngineStarts = starts, Models = models,
                MismatchList = tally.MismatchList, Elapsed = clock.Elapsed,
            };
        }
        finally
        {
            pipeline?.Dispose();
            engine.Dispose();
        }
    }

    /// <summary>The comparison of recorded and replayed decisions, fed in record order (by either path).</summary>
    private sealed class Tally(AuditHash bundle, AuditReplayOptions options)
    {
        public long Decisions, Identical, Same, SameBad, Other, OtherBad, Deadline, Rejected, NotBitExact, WithinTolerance;
        public double MaxProbabilityDelta, MaxLogitDelta;
        public readonly List<ReplayMismatch> MismatchList = [];

        public void Compare(ulong recordNumber, in AuditDecision recorded, in Decision replayed)
        {
            Decisions++;
            if (recorded.IsRejected) Rejected++;
            bool sameModel = recorded.ModelSha256 == bundle;
            if (sameModel) Same++;
            else Other++;
            var want = new ReplayAnswer(recorded.Rejection, recorded.Verdict, recorded.RiskScore, recorded.Source, recorded.Reasons,
                recorded.LogitBits, recorded.ProbabilityBits);
            var got = new ReplayAnswer(replayed.Rejection.Code, replayed.Verdict, replayed.RiskScore, replayed.Source, replayed.Reasons,
                BitConverter.SingleToUInt32Bits(replayed.Logit), BitConverter.SingleToUInt32Bits(replayed.Probability));
            if (want == got)
            {
                Identical++;
                return;
            }
            if (recorded.Source == DecisionSource.RulesDeadlineExceeded)
            {
                Deadline++; // the device's clock cut the model off; replay cannot (and should not) reproduce timing
                return;
            }
            NotBitExact++;
            double dp = Math.Abs((double)want.Probability - got.Probability), dl = Math.Abs((double)want.Logit - got.Logit);
            if (double.IsFinite(dp)) MaxProbabilityDelta = Math.Max(MaxProbabilityDelta, dp);
            if (double.IsFinite(dl)) MaxLogitDelta = Math.Max(MaxLogitDelta, dl);
            if (options.Tolerance is double tolerance && WithinTolerance(want, got, tolerance))
            {
                WithinTolerance++;
                return;
            }
            if (sameModel) SameBad++;
            else OtherBad++;
            if (MismatchList.Count < options.MaxMismatches)
                MismatchList.Add(new ReplayMismatch
                {
                    Record = recordNumber, EventId = recorded.Event.EventId, DifferentModel = !sameModel,
                    Fields = Differences(want, got), Recorded = want, Replayed = got,
                });
        }
    }

    /// <summary>Decisions of one stretch of the log: walked (tokens, rules) by the reader, scored by one thread.</summary>
    private sealed class Chunk
    {
        public readonly ulong[] Record = new ulong[ChunkSize];
        public readonly AuditDecision[] Recorded = new AuditDecision[ChunkSize];
        public readonly Decision[] Answer = new Decision[ChunkSize];
        public readonly DeferredScore[] Pending = new DeferredScore[ChunkSize];
        public readonly bool[] Scored = new bool[ChunkSize];
        public readonly int[] Tokens = new int[ChunkSize * Tokenizer.SequenceLength];
        public readonly ManualResetEventSlim Done = new(false);
        public int Count;
    }

    /// <summary>
    /// The reader thread fills chunks in record order (<see cref="FraudEngine.EvaluateDeferred"/>); N scoring threads,
    /// each with its own engine (own ONNX Runtime session, the same bundle and profile), finish them
    /// (<see cref="FraudEngine.CompleteDeferred"/>); a comparing thread takes them in record order. A fixed pool of
    /// chunks bounds the memory whatever the log's length.
    /// </summary>
    private sealed class ScoringPipeline : IDisposable
    {
        private readonly FraudEngine[] _scorers;
        private readonly BlockingCollection<Chunk> _free = new();
        private readonly BlockingCollection<Chunk> _work = new();
        private readonly BlockingCollection<Chunk> _ordered = new();
        private readonly CancellationTokenSource _cancel = new();
        private readonly List<Thread> _threads = [];
        private readonly List<Chunk> _all = [];
        private Exception? _failure;
        private Chunk? _current;

        public ScoringPipeline(int threads, Func<FraudEngine> newEngine)
        {
            _scorers = new FraudEngine[threads];
            try
            {
                for (int i = 0; i < threads; i++) _scorers[i] = newEngine();
            }
            catch
            {
                foreach (FraudEngine? e in _scorers) e?.Dispose();
                throw;
            }
            for (int i = 0; i < threads * 4 + 2; i++)
            {
                var chunk = new Chunk();
                _all.Add(chunk);
                _free.Add(chunk);
            }
        }

        public void Start(Tally tally)
        {
            foreach (FraudEngine scorer in _scorers)
                _threads.Add(new Thread(() => Guard(() => Score(scorer))) { IsBackground = true, Name = "fraudedge-replay-score" });
            _threads.Add(new Thread(() => Guard(() => CompareInOrder(tally))) { IsBackground = true, Name = "fraudedge-replay-compare" });
            foreach (Thread t in _threads) t.Start();
        }

        /// <summary>Walks one decision on the reader's engine (history order) and queues its scoring.</summary>
        public void Add(FraudEngine engine, ulong recordNumber, in AuditDecision recorded)
        {
            Chunk chunk = _current ??= Take(_free);
            int i = chunk.Count;
            chunk.Record[i] = recordNumber;
            chunk.Recorded[i] = recorded;
            chunk.Scored[i] = engine.EvaluateDeferred(recorded.Event, chunk.Tokens.AsSpan(i * Tokenizer.SequenceLength, Tokenizer.SequenceLength),
                out chunk.Answer[i], out chunk.Pending[i]);
            if (++chunk.Count == ChunkSize) Flush();
        }

        private void Flush()
        {
            if (_current is not { } chunk) return;
            _current = null;
            try
            {
                _ordered.Add(chunk, _cancel.Token);
                _work.Add(chunk, _cancel.Token);
            }
            catch (OperationCanceledException) when (_failure is not null)
            {
                throw new InvalidOperationException($"replay scoring failed: {_failure.Message}", _failure);
            }
        }

        /// <summary>Scores the last chunk and waits until every decision has been compared.</summary>
        public void Finish()
        {
            try
            {
                Flush();
            }
            catch (InvalidOperationException) when (_failure is not null)
            {
            }
            _work.CompleteAdding();
            _ordered.CompleteAdding();
            foreach (Thread t in _threads) t.Join();
            if (_failure is not null) throw new InvalidOperationException($"replay scoring failed: {_failure.Message}", _failure);
        }

        /// <summary>Stops without comparing the rest (the log changed under the reader).</summary>
        public void Abandon()
        {
            _cancel.Cancel();
            _work.CompleteAdding();
            _ordered.CompleteAdding();
            foreach (Thread t in _threads) t.Join();
        }

        private Chunk Take(BlockingCollection<Chunk> queue)
        {
            try
            {
                return queue.Take(_cancel.Token);
            }
            catch (OperationCanceledException) when (_failure is not null)
            {
                throw new InvalidOperationException($"replay scoring failed: {_failure.Message}", _failure);
            }
        }

        private void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
                _cancel.Cancel();
            }
        }

        private void Score(FraudEngine scorer)
        {
            foreach (Chunk chunk in _work.GetConsumingEnumerable(_cancel.Token))
            {
                for (int i = 0; i < chunk.Count; i++)
                    if (chunk.Scored[i])
                        chunk.Answer[i] = scorer.CompleteDeferred(chunk.Tokens.AsSpan(i * Tokenizer.SequenceLength, Tokenizer.SequenceLength), chunk.Pending[i]);
                chunk.Done.Set();
            }
        }

        private void CompareInOrder(Tally tally)
        {
            foreach (Chunk chunk in _ordered.GetConsumingEnumerable(_cancel.Token))
            {
                chunk.Done.Wait(_cancel.Token);
                for (int i = 0; i < chunk.Count; i++) tally.Compare(chunk.Record[i], chunk.Recorded[i], chunk.Answer[i]);
                chunk.Count = 0;
                chunk.Done.Reset();
                _free.Add(chunk);
            }
        }

        public void Dispose()
        {
            if (!_cancel.IsCancellationRequested && _threads.Any(t => t.IsAlive)) Abandon();
            foreach (FraudEngine e in _scorers) e.Dispose();
            foreach (Chunk c in _all) c.Done.Dispose();
            _free.Dispose();
            _work.Dispose();
            _ordered.Dispose();
            _cancel.Dispose();
        }
    }

    /// <summary>Everything a terminal acts on is identical and only the float bits moved, by at most <paramref name="tolerance"/> in probability.</summary>
    internal static bool WithinTolerance(in ReplayAnswer a, in ReplayAnswer b, double tolerance) =>
        a.Rejection == b.Rejection && a.Verdict == b.Verdict && a.RiskScore == b.RiskScore && a.Source == b.Source && a.Reasons == b.Reasons
        && float.IsFinite(a.Probability) && float.IsFinite(b.Probability)
        && Math.Abs((double)a.Probability - b.Probability) <= tolerance;

    private static string[] Differences(in ReplayAnswer a, in ReplayAnswer b)
    {
        var fields = new List<string>(7);
        if (a.Rejection != b.Rejection) fields.Add("rejection");
        if (a.Verdict != b.Verdict) fields.Add("verdict");
        if (a.RiskScore != b.RiskScore) fields.Add("risk_score");
        if (a.Source != b.Source) fields.Add("source");
        if (a.Reasons != b.Reasons) fields.Add("reasons");
        if (a.LogitBits != b.LogitBits) fields.Add("logit_bits");
        if (a.ProbabilityBits != b.ProbabilityBits) fields.Add("probability_bits");
        return [.. fields];
    }
}
