using BenchmarkDotNet.Attributes;
using FraudEdge.Core;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Bench;

/// <summary>
/// One decision and its parts, on a warm engine, one call per operation:
/// <list type="bullet">
/// <item><b>Evaluate</b> — <see cref="FraudEngine.Evaluate"/>: validate, describe history, tokenize, score
///   (ONNX Runtime, IoBinding, deadline watchdog armed), policy, observe. The target: median ≤ 100 µs, 0 B.</item>
/// <item><b>RulesOnly</b> — the same engine path with no model (the fallback's cost).</item>
/// <item><b>HistoryAndTokenize</b> — Describe + Tokenize + Observe on a warm history: Evaluate minus scoring and policy.</item>
/// <item><b>Tokenize</b> — the tokenizer alone over pre-described contexts.</item>
/// <item><b>Score</b> — <see cref="OnnxScorer.TryScore(ReadOnlySpan{int}, out float)"/> alone over pre-made token sequences.</item>
/// </list>
/// Events cycle through <see cref="TerminalDay"/> (8,192 events); each new pass shifts timestamps, ids and
/// ATCs forward, so the history keeps changing the way a live terminal's does and no event is rejected.
/// </summary>
[MemoryDiagnoser]
[MedianColumn, MinColumn, MaxColumn]
public class DecisionBenchmarks
{
    private TerminalDay _day = null!;
    private FraudEngine _engine = null!;
    private FraudEngine _rulesEngine = null!;
    private OnnxScorer _scorer = null!;
    private TerminalHistory _history = null!;
    private EventContext[] _contexts = null!;
    private int[] _sequences = null!;
    private readonly int[] _tokens = new int[Tokenizer.SequenceLength];
    private int _next, _rulesNext, _historyNext, _tokenizeNext, _scoreNext;
    private long _lap, _rulesLap, _historyLap;

    /// <summary>What the model run is (printed into the BenchmarkDotNet log and bench/README.md).</summary>
    public string ModelDescription { get; private set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _day = TerminalDay.Generate();
        HardwareProfile profile = BenchSettings.Profile;
        string model = BenchSettings.ModelDirectory;

        _engine = new FraudEngine(new FraudEngineOptions { Profile = profile, ModelDirectory = model, TrustedKeys = BenchSettings.TrustedKeys() });
        if (_engine.Model is null)
            throw new InvalidOperationException($"the bundle in {model} was refused: {_engine.ModelRefusal?.Message}");
        _rulesEngine = new FraudEngine(new FraudEngineOptions { Profile = profile, RulesOnly = true, TrustedKeys = BenchSettings.TrustedKeys() });

        // Warm: one full pass through the day, so history tables are populated and every code path is jitted.
        for (int i = 0; i < _day.Events.Length; i++)
        {
            _engine.Evaluate(_day.At(i, 0));
            _rulesEngine.Evaluate(_day.At(i, 0));
        }
        _lap = _rulesLap = 1;
        CheckNoRejections(_engine, "model engine");
        CheckNoRejections(_rulesEngine, "rules engine");

        // Parts: contexts and token sequences exactly as the engine computed them on the first pass.
        using (TrustedKeys keys = BenchSettings.TrustedKeys())
        {
            ModelBundle bundle = ModelBundle.Load(model, keys);
            _scorer = OnnxScorer.Create(bundle, profile.Scoring);
            ModelDescription = $"{bundle.Manifest.Name} {bundle.Manifest.Version} ({bundle.Manifest.Precision}, {bundle.Source})";
        }
        var replay = new TerminalHistory(profile.History);
        _contexts = new EventContext[_day.Events.Length];
        _sequences = new int[_day.Events.Length * Tokenizer.SequenceLength];
        for (int i = 0; i < _day.Events.Length; i++)
        {
            TransactionEvent e = _day.At(i, 0);
            replay.Describe(e, out _contexts[i]);
            Tokenizer.Tokenize(e, _contexts[i], _sequences.AsSpan(i * Tokenizer.SequenceLength, Tokenizer.SequenceLength));
            replay.Observe(e);
        }
        _history = replay;
        _historyLap = 1;
        Console.WriteLine($"// FraudEdge bench: model {ModelDescription}; profile {profile.Name}; {_day.Events.Length} events per pass");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        EngineStatus s = _engine.Status();
        Console.WriteLine($"// FraudEdge bench: model engine decisions={s.Decisions} rejected={s.Rejected} fallbacks={s.Fallbacks} deadline_misses={s.DeadlineMisses} allow={s.Allowed} review={s.Reviewed} deny={s.Denied}");
        EngineStatus r = _rulesEngine.Status();
        Console.WriteLine($"// FraudEdge bench: rules engine decisions={r.Decisions} rejected={r.Rejected}");
        Console.WriteLine($"// FraudEdge bench: scorer completed={_scorer.Completed} deadline_misses={_scoreDeadlineMisses}");
        CheckNoRejections(_engine, "model engine");
        _engine.Dispose();
        _rulesEngine.Dispose();
        _scorer.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Verdict Evaluate()
    {
        TransactionEvent e = _day.At(_next, _lap);
        if (++_next == _day.Events.Length) { _next = 0; _lap++; }
        return _engine.Evaluate(e).Verdict;
    }

    [Benchmark]
    public Verdict RulesOnly()
    {
        TransactionEvent e = _day.At(_rulesNext, _rulesLap);
        if (++_rulesNext == _day.Events.Length) { _rulesNext = 0; _rulesLap++; }
        return _rulesEngine.Evaluate(e).Verdict;
    }

    [Benchmark]
    public int HistoryAndTokenize()
    {
        TransactionEvent e = _day.At(_historyNext, _historyLap);
        if (++_historyNext == _day.Events.Length) { _historyNext = 0; _historyLap++; }
        _history.Describe(e, out EventContext context);
        Tokenizer.Tokenize(e, context, _tokens);
        _history.Observe(e);
        return _tokens[1];
    }

    [Benchmark]
    public int Tokenize()
    {
        int i = _tokenizeNext;
        if (++_tokenizeNext == _day.Events.Length) _tokenizeNext = 0;
        Tokenizer.Tokenize(_day.Events[i], _contexts[i], _tokens);
        return _tokens[1];
    }

    [Benchmark]
    public float Score()
    {
        int i = _scoreNext;
        if (++_scoreNext == _day.Events.Length) _scoreNext = 0;
        // A deadline miss (the process descheduled past the profile's deadline on a loaded machine) is a
        // real outcome, not a benchmark failure: it is counted and printed at cleanup, and its time is in
        // the measurement. Anything else means the benchmark is broken.
        ScoreStatus status = _scorer.TryScore(_sequences.AsSpan(i * Tokenizer.SequenceLength, Tokenizer.SequenceLength), out float logit);
        if (status == ScoreStatus.Ok) return logit;
        if (status == ScoreStatus.DeadlineExceeded) { _scoreDeadlineMisses++; return 0; }
        return ThrowScoreFailed(status);
    }

    private long _scoreDeadlineMisses;

    private static float ThrowScoreFailed(ScoreStatus status) => throw new InvalidOperationException($"scoring failed: {status}");

    private static void CheckNoRejections(FraudEngine engine, string name)
    {
        EngineStatus s = engine.Status();
        if (s.Rejected != 0)
            throw new InvalidOperationException($"{name}: {s.Rejected} of {s.Decisions + s.Rejected} benchmark events were rejected; the stream must be valid");
    }
}
