using System.Diagnostics;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Scoring;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Scoring;

[Collection(ScoringCollection.Name)]
public sealed class OnnxScorerTests
{
    private static readonly ScoringLimits Limits = new() { IntraOpThreads = 1, DeadlineMicroseconds = 20_000, CpuArena = false };

    [Fact]
    public void Fixture_parity_vectors_reproduce_within_tolerance()
    {
        ModelBundle bundle = Fixture.Load();
        using OnnxScorer scorer = OnnxScorer.Create(bundle, Limits);
        foreach (ParityVector vector in bundle.Parity.Vectors)
        {
            Assert.Equal(ScoreStatus.Ok, scorer.TryScore(vector.Tokens, out float logit));
            Assert.InRange(Math.Abs(logit - vector.Logit), 0, bundle.Parity.ToleranceAbs);
        }
        ParityResult result = scorer.VerifyParity(bundle.Parity);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(bundle.Parity.Vectors.Count, result.Vectors);
    }

    [Fact]
    public void Parity_check_reports_a_model_that_does_not_match()
    {
        ModelBundle bundle = Fixture.Load();
        using OnnxScorer scorer = OnnxScorer.Create(bundle, Limits);
        var shifted = new ParityVectors
        {
            ToleranceAbs = bundle.Parity.ToleranceAbs,
            Vectors = [.. bundle.Parity.Vectors.Select(v => new ParityVector { Tokens = v.Tokens, Logit = v.Logit + 0.01 })],
        };
        ParityResult result = scorer.CheckParity(shifted);
        Assert.False(result.Passed);
        Assert.Equal(shifted.Vectors.Count, result.Failures);
        Assert.Equal(BundleErrorCode.ParityFailed, Assert.Throws<BundleException>(() => scorer.VerifyParity(shifted)).Code);
    }

    [Fact]
    public void Steady_state_scoring_allocates_zero_managed_bytes()
    {
        ModelBundle bundle = Fixture.Load();
        // The deadline is armed on every call (that path is what is measured) but generous: a run preempted
        // past a tight deadline on a loaded 2-core host would take the terminate path, which may allocate.
        using OnnxScorer scorer = OnnxScorer.Create(bundle, new ScoringLimits { IntraOpThreads = 1, DeadlineMicroseconds = 1_000_000 });
        int[][] inputs = [.. bundle.Parity.Vectors.Select(v => v.Tokens)];
        for (int i = 0; i < 2_000; i++) scorer.TryScore(inputs[i % inputs.Length], out _); // warm-up: JIT tiers, ORT caches

        int ok = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            if (scorer.TryScore(inputs[i % inputs.Length], out _) == ScoreStatus.Ok) ok++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_000, ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Missed_deadline_terminates_the_run_and_the_next_run_works()
    {
        byte[] slow = File.ReadAllBytes(Fixture.SlowModelPath);
        using var scorer = new OnnxScorer(slow, new ScorerOptions { Source = "slow TEST model", VocabularySize = 1000 });
        int[] tokens = new int[48];

        // How long the slow graph really takes here, so the test adapts to the machine.
        var watch = Stopwatch.StartNew();
        Assert.Equal(ScoreStatus.Ok, scorer.TryScore(tokens, deadlineMicroseconds: 0, out float reference));
        double fullMs = watch.Elapsed.TotalMilliseconds;
        Assert.True(fullMs > 20, $"the slow fixture must take well over the watchdog's ~1 ms resolution; it took {fullMs:F1} ms");

        watch.Restart();
        Assert.Equal(ScoreStatus.DeadlineExceeded, scorer.TryScore(tokens, deadlineMicroseconds: 2_000, out float late));
        double terminatedMs = watch.Elapsed.TotalMilliseconds;
        Assert.True(float.IsNaN(late));
        Assert.True(terminatedMs < fullMs * 0.75, $"terminated run took {terminatedMs:F1} ms of a {fullMs:F1} ms graph");
        Assert.Equal(1, scorer.DeadlineMisses);

        // Terminate was reset: a run with a normal deadline completes and gives the same answer.
        Assert.Equal(ScoreStatus.Ok, scorer.TryScore(tokens, deadlineMicroseconds: 60_000_000, out float again));
        Assert.Equal(reference, again);
        Assert.Equal(1, scorer.DeadlineMisses);
    }

    [Fact]
    public void Deadline_misses_and_successes_alternate_cleanly()
    {
        byte[] slow = File.ReadAllBytes(Fixture.SlowModelPath);
        using var scorer = new OnnxScorer(slow, new ScorerOptions { Source = "slow TEST model", VocabularySize = 1000 });
        int[] tokens = new int[48];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(ScoreStatus.DeadlineExceeded, scorer.TryScore(tokens, deadlineMicroseconds: 1_000, out _));
            Assert.Equal(ScoreStatus.Ok, scorer.TryScore(tokens, deadlineMicroseconds: 0, out float logit));
            Assert.True(float.IsFinite(logit));
        }
        Assert.Equal(3, scorer.DeadlineMisses);
        Assert.Equal(3, scorer.Completed);
    }

    [Fact]
    public void Fast_runs_under_a_deadline_are_never_terminated_early()
    {
        // Many short runs, each armed and disarmed: a watchdog wake-up left over from an earlier run must
        // never terminate a later one. A run may legitimately miss 1 ms when the test host preempts it
        // (other tests run in parallel on 2 cores), but then it must really have taken that long.
        const int deadlineUs = 1_000;
        using OnnxScorer scorer = OnnxScorer.Create(Fixture.Load(), new ScoringLimits { IntraOpThreads = 1, DeadlineMicroseconds = deadlineUs });
        int[] tokens = new int[48];
        int ok = 0;
        for (int i = 0; i < 20_000; i++)
        {
            long start = Stopwatch.GetTimestamp();
            ScoreStatus status = scorer.TryScore(tokens, out _);
            double elapsedUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (status == ScoreStatus.Ok) ok++;
            else Assert.True(status == ScoreStatus.DeadlineExceeded && elapsedUs >= deadlineUs, $"{status} after {elapsedUs:F0} us");
        }
        Assert.True(ok > 19_000, $"{20_000 - ok} of 20000 fast runs missed a 1 ms deadline");
    }

    [Theory]
    [InlineData(47, 0)]
    [InlineData(49, 0)]
    [InlineData(48, 512)]
    [InlineData(48, -1)]
    public void Invalid_token_sequences_are_refused_without_running(int length, int badId)
    {
        using OnnxScorer scorer = OnnxScorer.Create(Fixture.Load(), Limits);
        int[] tokens = new int[length];
        tokens[^1] = badId;
        Assert.Equal(ScoreStatus.InvalidInput, scorer.TryScore(tokens, out float logit));
        Assert.True(float.IsNaN(logit));
        Assert.Equal(0, scorer.Completed);
    }

    [Fact]
    public void Garbage_model_is_refused_as_invalid()
    {
        BundleException e = Assert.Throws<BundleException>(() =>
            new OnnxScorer("not an onnx model"u8.ToArray(), new ScorerOptions { Source = "garbage", VocabularySize = 300 }));
        Assert.Equal(BundleErrorCode.ModelInvalid, e.Code);
    }

    [Theory]
    [InlineData("input_ids", "logit", 48)]
    [InlineData("tokens", "probability", 48)]
    [InlineData("tokens", "logit", 64)]
    public void Model_whose_graph_differs_from_the_manifest_is_refused(string input, string output, int sequenceLength)
    {
        byte[] model = File.ReadAllBytes(Path.Combine(Fixture.BundleDirectory, "model.onnx"));
        BundleException e = Assert.Throws<BundleException>(() => new OnnxScorer(model, new ScorerOptions
        {
            Source = "fixture", VocabularySize = 300, InputName = input, OutputName = output, SequenceLength = sequenceLength,
        }));
        Assert.Equal(BundleErrorCode.ModelInvalid, e.Code);
    }

    [Fact]
    public void Concurrent_use_is_detected_not_mixed()
    {
        byte[] slow = File.ReadAllBytes(Fixture.SlowModelPath);
        using var scorer = new OnnxScorer(slow, new ScorerOptions { Source = "slow TEST model", VocabularySize = 1000 });
        using var started = new ManualResetEventSlim();
        ScoreStatus backgroundStatus = ScoreStatus.Failed;
        var background = new Thread(() =>
        {
            started.Set();
            backgroundStatus = scorer.TryScore(new int[48], deadlineMicroseconds: 0, out _);
        });
        background.Start();
        started.Wait();
        Thread.Sleep(5); // the background run takes tens of milliseconds
        Assert.Throws<InvalidOperationException>(() => scorer.TryScore(new int[48], out _));
        background.Join();
        Assert.Equal(ScoreStatus.Ok, backgroundStatus);
    }

    [Fact]
    public void Disposed_scorer_refuses_to_run()
    {
        OnnxScorer scorer = OnnxScorer.Create(Fixture.Load(), Limits);
        scorer.Dispose();
        scorer.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => scorer.TryScore(new int[48], out _));
    }
}
