using FraudEdge.Data;

namespace FraudEdge.Simulator.Fraud;

/// <summary>
/// One fraud incident: a card or a crew, a typology, and when (if ever) the fraud becomes known. The report
/// time also blocks the card at the issuer, so attempts after it are declined.
/// </summary>
internal sealed class FraudEpisode
{
    public required int Index { get; init; }
    public required FraudTypology Typology { get; init; }
    /// <summary>The compromised card (card testing uses many cards; this is the first).</summary>
    public required int Card { get; init; }
    /// <summary>When the issuer / acquirer learns of the fraud; long.MaxValue = never.</summary>
    public long ReportAtMs { get; set; } = long.MaxValue;
    /// <summary>No label ever reaches the terminal (unreported, written off, or never noticed).</summary>
    public bool NeverLabelled { get; set; }
    /// <summary>Card testing: the acquirer's monitoring flags the whole burst.</summary>
    public bool BurstFlagged { get; set; }
    public double ChargebackRate { get; init; }
    /// <summary>Chance the issuer declines an attempt made before the card is blocked.</summary>
    public double DeclineRate { get; init; }
}
