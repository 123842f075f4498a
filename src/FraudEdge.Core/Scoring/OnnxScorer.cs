using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using Microsoft.ML.OnnxRuntime;

namespace FraudEdge.Core.Scoring;

/// <summary>
/// Runs the bundle's batch-1 model: token ids in, raw logit out. Everything a run touches is created once
/// here: one long-lived InferenceSession, the input tensor <c>tokens</c> int64 [1, seq_len] and output
/// <c>logit</c> float32 [1, 1] as OrtValues over pinned (POH) arrays, bound once with an OrtIoBinding, one
/// RunOptions whose Terminate flag a <see cref="DeadlineWatchdog"/> raises when a run passes the profile's
/// deadline. So <see cref="TryScore(ReadOnlySpan{int}, out float)"/> allocates no managed memory in steady
/// state (asserted by a test over 10,000 calls) and never throws on the hot path.
///
/// Thread safety: NOT thread-safe. One scorer is one set of bound buffers; callers serialise (the engine
/// calls it under its own lock). Concurrent use is detected and throws InvalidOperationException rather
/// than silently mixing two requests' tokens. Use one scorer per thread to score in parallel.
/// </summary>
public sealed partial class OnnxScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly RunOptions _runOptions;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly long[] _input;   // pinned: ORT reads it in place on every run
    private readonly float[] _output; // pinned: ORT writes the logit here
    private readonly DeadlineWatchdog _watchdog;
    private readonly int _sequenceLength;
    private readonly uint _vocabularySize;
    private readonly long _deadlineTicks;
    private int _busy;
    private bool _disposed;

    /// <summary>Watchdog poll period for a scorer created without a deadline (replay, parity, tests).</summary>
    private static readonly TimeSpan DefaultPollPeriod = TimeSpan.FromMilliseconds(10);

    /// <summary>Creates the scorer for a verified bundle with the hardware profile's scoring limits.</summary>
    /// <exception cref="BundleException"><see cref="BundleErrorCode.ModelInvalid"/> when ONNX Runtime
    /// refuses the graph or its inputs/outputs are not the contract's.</exception>
    public static OnnxScorer Create(ModelBundle bundle, ScoringLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(limits);
        return new OnnxScorer(bundle.ModelBytes, ScorerOptions.From(bundle, limits));
    }

    internal OnnxScorer(byte[] model, ScorerOptions options)
    {
        _sequenceLength = options.SequenceLength;
        _vocabularySize = (uint)options.VocabularySize;
        _deadlineTicks = ToTicks(options.DeadlineMicroseconds);
        Source = options.Source;

        _sessionOptions = OrtSessions.CreateOptions(options.IntraOpThreads, options.CpuArena);
        try
        {
            _session = OrtSessions.Create(model, _sessionOptions, options.Source);
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }

        try
        {
            // The contract says static batch 1; a symbolic batch still binds as [1, seq_len].
            OrtSessions.CheckGraph(_session, options.Source, options.InputName, options.OutputName, _sequenceLength, batch: 1);
            _input = GC.AllocateArray<long>(_sequenceLength, pinned: true);
            _output = GC.AllocateArray<float>(1, pinned: true);
            _inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_input), [1, _sequenceLength]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_output), [1, 1]);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(options.InputName, _inputValue);
            _binding.BindOutput(options.OutputName, _outputValue);
            _runOptions = new RunOptions();
            // Polling at the deadline's period finds every run before its deadline is due (see the watchdog).
            TimeSpan poll = options.DeadlineMicroseconds > 0 ? TimeSpan.FromMicroseconds(options.DeadlineMicroseconds) : DefaultPollPeriod;
            _watchdog = new DeadlineWatchdog(_runOptions, poll, "fraudedge-score-deadline");

            // First run outside any deadline: ORT plans memory and fills its caches on it, so that cost
            // never lands on a real decision. All-[PAD] is a valid sequence for any fe-tok-1 model.
            _session.RunWithBinding(_runOptions, _binding);
        }
        catch (Exception e)
        {
            DisposeCore();
            if (e is OnnxRuntimeException)
                throw new BundleException(BundleErrorCode.ModelInvalid, $"the model of {options.Source} fails its first run: {e.Message}", e);
            throw;
        }
    }

    /// <summary>The bundle this scorer runs ("name version (source)").</summary>
    public string Source { get; }

    public int SequenceLength => _sequenceLength;

    /// <summary>Runs completed with <see cref="ScoreStatus.Ok"/>.</summary>
    public long Completed { get; private set; }

    /// <summary>Runs terminated at their deadline.</summary>
    public long DeadlineMisses { get; private set; }

    /// <summary>Runs that failed or produced a non-finite logit.</summary>
    public long Failures { get; private set; }

    /// <summary>Message of the last failed run, for diagnostics (set only on the failure path).</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Scores one token sequence within the profile's deadline. Allocation-free; returns a status instead
    /// of throwing. <paramref name="logit"/> is NaN unless the status is <see cref="ScoreStatus.Ok"/>.
    /// </summary>
    public ScoreStatus TryScore(ReadOnlySpan<int> tokens, out float logit) => Run(tokens, _deadlineTicks, out logit);

    /// <summary>
    /// As <see cref="TryScore(ReadOnlySpan{int}, out float)"/> with an explicit deadline; 0 = none. A deadline
    /// shorter than the scorer's own may be enforced up to one watchdog poll period late.
    /// </summary>
    internal ScoreStatus TryScore(ReadOnlySpan<int> tokens, int deadlineMicroseconds, out float logit) =>
        Run(tokens, ToTicks(deadlineMicroseconds), out logit);

    private ScoreStatus Run(ReadOnlySpan<int> tokens, long deadlineTicks, out float logit)
    {
        logit = float.NaN;
        if (Interlocked.Exchange(ref _busy, 1) != 0) ThrowConcurrentUse();
        try
        {
            if (_disposed) ThrowDisposed();
            if (tokens.Length != _sequenceLength) return ScoreStatus.InvalidInput;
            Span<long> input = _input;
            for (int i = 0; i < input.Length; i++)
            {
                // The tokenizer guarantees the range; checking here keeps a mismatched model (or a caller
                // bug) from reaching ORT's Gather, and costs 48 compares.
                uint id = (uint)tokens[i];
                if (id >= _vocabularySize) return ScoreStatus.InvalidInput;
                input[i] = id;
            }
            _output[0] = float.NaN; // a failed run can never hand back the previous decision's logit

            bool watched = deadlineTicks > 0;
            if (watched) _watchdog.Arm(Stopwatch.GetTimestamp() + deadlineTicks);
            bool ran = RunBound();
            if (watched && _watchdog.Disarm())
            {
                DeadlineMisses++;
                return ScoreStatus.DeadlineExceeded;
            }
            if (!ran)
            {
                Failures++;
                return ScoreStatus.Failed;
            }
            float value = _output[0];
            if (!float.IsFinite(value))
            {
                Failures++;
                return ScoreStatus.InvalidOutput;
            }
            Completed++;
            logit = value;
            return ScoreStatus.Ok;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>The one call into ORT. Its exception path (a terminated run throws) may allocate; the
    /// success path does not.</summary>
    private bool RunBound()
    {
        try
        {
            _session.RunWithBinding(_runOptions, _binding);
            return true;
        }
        catch (OnnxRuntimeException e)
        {
            LastError = e.Message;
            return false;
        }
    }

    private static long ToTicks(int microseconds) =>
        microseconds <= 0 ? 0 : Math.Max(1, microseconds * Stopwatch.Frequency / 1_000_000);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0) ThrowConcurrentUse();
        try
        {
            if (_disposed) return;
            _disposed = true;
            DisposeCore();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void DisposeCore()
    {
        // Watchdog first: it may touch _runOptions until it has stopped.
        _watchdog?.Dispose();
        _binding?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
        _sessionOptions?.Dispose();
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("OnnxScorer is not thread-safe: it was called while another call was in progress");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(OnnxScorer));
}
