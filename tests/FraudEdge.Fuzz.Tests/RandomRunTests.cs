using System.Diagnostics;
using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz.Tests;

/// <summary>
/// A bounded in-process mutation run per target from a fixed seed, so CI exercises the targets on every
/// run without AFL. A failure message carries the input in base64: save it under fuzz/crashes/&lt;target&gt;/.
/// </summary>
public sealed class RandomRunTests
{
    private const int Iterations = 20_000;

    [Theory]
    [InlineData(EventTarget.Name, 20261128)]
    [InlineData(SnapshotTarget.Name, 20261128)]
    [InlineData(SnapshotPayloadTarget.Name, 20261128)]
    public void Twenty_thousand_mutated_inputs_do_not_crash_the_target(string target, int seed)
    {
        var stopwatch = Stopwatch.StartNew();
        RandomRunResult result = RandomRun.Run(target, FuzzFiles.Corpus(target), Iterations, seed);
        Assert.Equal(Iterations, result.Executions);
        // The run is a CI smoke test, not a campaign: keep it well inside the suite's time budget.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"{target}: {Iterations} inputs took {stopwatch.Elapsed}");
    }

    /// <summary>The protocol targets run 10–200× faster than the Core ones; a shorter bound still covers each in well under a second.</summary>
    private const int ProtocolIterations = 10_000;

    [Theory]
    [InlineData(ProtocolFrameTarget.Name, 20261128)]
    [InlineData(ProtocolScoreRequestTarget.Name, 20261128)]
    [InlineData(ProtocolOutcomeNoticeTarget.Name, 20261128)]
    [InlineData(ProtocolScoreResponseTarget.Name, 20261128)]
    [InlineData(ProtocolStatusResponseTarget.Name, 20261128)]
    [InlineData(ProtocolErrorResponseTarget.Name, 20261128)]
    public void Ten_thousand_mutated_inputs_do_not_crash_a_protocol_target(string target, int seed)
    {
        var stopwatch = Stopwatch.StartNew();
        RandomRunResult result = RandomRun.Run(target, FuzzFiles.Corpus(target), ProtocolIterations, seed);
        Assert.Equal(ProtocolIterations, result.Executions);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"{target}: {ProtocolIterations} inputs took {stopwatch.Elapsed}");
    }

    [Fact]
    public void The_mutator_is_deterministic_for_a_seed()
    {
        var seeds = FuzzFiles.Corpus(EventTarget.Name);
        var a = new Random(7);
        var b = new Random(7);
        for (int i = 0; i < 200; i++)
            Assert.Equal(RandomRun.Next(a, seeds, 1 << 16), RandomRun.Next(b, seeds, 1 << 16));
    }
}
