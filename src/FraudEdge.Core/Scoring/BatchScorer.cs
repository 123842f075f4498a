using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FraudEdge.Core.Bundles;
using Microsoft.ML.OnnxRuntime;

namespace FraudEdge.Core.Scoring;

/// <summary>
/// Scores many token sequences per ONNX Runtime call with the bundle's optional model.batch.onnx (same
/// weights, dynamic batch), for offline work: replay, evaluation, dataset scoring. Buffers for one fixed
/// batch size are pinned and bound once, like <see cref="OnnxScorer"/>; a short last batch is padded with
/// [PAD] rows whose outputs are ignored. No deadline: nobody is waiting at a till.
///
/// Rows are NOT independent in an int8 graph that quantizes activations dynamically per tensor
/// (DynamicQuantizeLinear, as training/ exports): the activation scale is taken over the whole batch, so a
/// row's logit depends on the rows next to it (measured on a quick-trained bundle: up to ~4e-3 off the
/// parity reference at batch 2..32, exact at batch 1). Use it for evaluation statistics; an audit replay
/// that must reproduce a live decision uses <see cref="OnnxScorer"/> (or a batch size of 1). Memory: the
/// ORT arena grows with the batch (TOOLCHAIN.md: ~170 MB at 256), so pick the batch size for the machine.
///
/// Thread safety: not thread-safe (one set of bound buffers); concurrent use throws.
/// </summary>
public sealed class BatchScorer : IDisposable
{
    public const int DefaultBatchSize = 64;
    public const int MaxBatchSize = 4096;

    private readonly InferenceSession _session;
    private readonly SessionOptions _sessionOptions;
    private readonly RunOptions _runOptions;
    private readonly OrtIoBinding _binding;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly long[] _input;
    private readonly float[] _output;
    private readonly int _sequenceLength;
    private readonly uint _vocabularySize;
    private int _busy;
    private bool _disposed;

    /// <exception cref="BundleException"><see cref="BundleErrorCode.ModelInvalid"/> when the bundle has
    /// no batch model or its graph does not match the contract.</exception>
    public static BatchScorer Create(ModelBundle bundle, int batchSize = DefaultBatchSize, int intraOpThreads = 1, bool cpuArena = true)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        byte[] model = bundle.BatchModelBytes
            ?? throw new BundleException(BundleErrorCode.ModelInvalid, $"{bundle} has no {BundleContract.BatchModelFile}");
        return new BatchScorer(model, bundle.ToString(), bundle.Manifest, batchSize, intraOpThreads, cpuArena);
    }

    private BatchScorer(byte[] model, string source, BundleManifest manifest, int batchSize, int intraOpThreads, bool cpuArena)
    {
        BatchSize = batchSize;
        _sequenceLength = manifest.SequenceLength;
        _vocabularySize = (uint)manifest.VocabularySize;
        _sessionOptions = OrtSessions.CreateOptions(intraOpThreads, cpuArena);
        try
        {
            _session = OrtSessions.Create(model, _sessionOptions, source);
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }
        try
        {
            OrtSessions.CheckGraph(_session, source, manifest.InputName, manifest.OutputName, _sequenceLength, batchSize);
            _input = GC.AllocateArray<long>(batchSize * _sequenceLength, pinned: true);
            _output = GC.AllocateArray<float>(batchSize, pinned: true);
            _inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_input), [batchSize, _sequenceLength]);
            _outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_output), [batchSize, 1]);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(manifest.InputName, _inputValue);
            _binding.BindOutput(manifest.OutputName, _outputValue);
            _runOptions = new RunOptions();
        }
        catch
        {
            DisposeCore();
            throw;
        }
    }

    public int BatchSize { get; }

    /// <summary>Message of the last failed run, for diagnostics.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Scores <c>n = tokens.Length / seq_len</c> sequences (row-major, 1 ≤ n ≤ <see cref="BatchSize"/>) into
    /// <c>logits[0..n)</c>. Allocation-free on success. Non-finite logits are reported as
    /// <see cref="ScoreStatus.InvalidOutput"/> with the values still written, so the caller sees which.
    /// </summary>
    public ScoreStatus TryScore(ReadOnlySpan<int> tokens, Span<float> logits)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0) ThrowConcurrentUse();
        try
        {
            if (_disposed) ThrowDisposed();
            int rows = tokens.Length / _sequenceLength;
            if (rows < 1 || rows > BatchSize || tokens.Length != rows * _sequenceLength || logits.Length < rows)
                return ScoreStatus.InvalidInput;
            Span<long> input = _input;
            for (int i = 0; i < tokens.Length; i++)
            {
                uint id = (uint)tokens[i];
                if (id >= _vocabularySize) return ScoreStatus.InvalidInput;
                input[i] = id;
            }
            input[tokens.Length..].Clear(); // [PAD] rows for a short batch
            _output.AsSpan().Fill(float.NaN);

            try
            {
                _session.RunWithBinding(_runOptions, _binding);
            }
            catch (OnnxRuntimeException e)
            {
                LastError = e.Message;
                return ScoreStatus.Failed;
            }

            ScoreStatus status = ScoreStatus.Ok;
            for (int i = 0; i < rows; i++)
            {
                float value = _output[i];
                if (!float.IsFinite(value)) status = ScoreStatus.InvalidOutput;
                logits[i] = value;
            }
            return status;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

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
        _binding?.Dispose();
        _inputValue?.Dispose();
        _outputValue?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
        _sessionOptions?.Dispose();
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("BatchScorer is not thread-safe: it was called while another call was in progress");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDisposed() => throw new ObjectDisposedException(nameof(BatchScorer));
}
