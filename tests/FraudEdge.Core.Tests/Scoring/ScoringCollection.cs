namespace FraudEdge.Core.Tests.Scoring;

/// <summary>
/// Scorer tests run one at a time: the deadline tests burn a core on the slow model for hundreds of
/// milliseconds and would distort the timing-sensitive ones (zero-allocation, deadline) on a 2-core host.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScoringCollection
{
    public const string Name = "Scoring (timing-sensitive, serial)";
}
