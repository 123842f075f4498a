using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Scoring;

/// <summary>What a scorer needs to know about its model and its hardware; built from a bundle and a profile.</summary>
internal sealed record ScorerOptions
{
    public required string Source { get; init; }
    public int SequenceLength { get; init; } = BundleContract.SequenceLength;
    public required int VocabularySize { get; init; }
    public string InputName { get; init; } = BundleContract.InputName;
    public string OutputName { get; init; } = BundleContract.OutputName;
    public int IntraOpThreads { get; init; } = 1;
    public bool CpuArena { get; init; }
    /// <summary>Per-run deadline; 0 or less runs without one (replay, parity checks).</summary>
    public int DeadlineMicroseconds { get; init; }

    public static ScorerOptions From(ModelBundle bundle, ScoringLimits limits) => new()
    {
        Source = bundle.ToString(),
        SequenceLength = bundle.Manifest.SequenceLength,
        VocabularySize = bundle.Manifest.VocabularySize,
        InputName = bundle.Manifest.InputName,
        OutputName = bundle.Manifest.OutputName,
        IntraOpThreads = limits.IntraOpThreads,
        CpuArena = limits.CpuArena,
        DeadlineMicroseconds = limits.DeadlineMicroseconds,
    };
}
