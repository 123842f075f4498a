using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>A card issuer: its country, scheme, BIN ranges and product mix.</summary>
internal sealed class Issuer
{
    public required int Index { get; init; }
    public required ushort Country { get; init; }
    public required CardScheme Scheme { get; init; }
    public required Bin[] Bins { get; init; }
    /// <summary>Market share weight among issuers of its country.</summary>
    public required double Share { get; init; }
    /// <summary>Debit, credit, prepaid, commercial weights.</summary>
    public required double[] TypeWeights { get; init; }
}
