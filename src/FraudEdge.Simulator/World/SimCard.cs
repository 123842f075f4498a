using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>
/// A card and its holder's habits, plus the mutable EMV state the terminal can observe: the application
/// transaction counter (which also advances when the card is used outside the simulated terminals), the
/// contactless no-CVM counters behind PSD2 strong customer authentication, and what happened to the card
/// (stolen, blocked after a fraud report, renewed, replaced).
/// </summary>
internal sealed class SimCard
{
    public required int Index { get; init; }
    public required CardToken Token { get; init; }
    public required Bin Bin { get; init; }
    public required ushort LastFour { get; init; }
    public required CardScheme Scheme { get; init; }
    public required CardType Type { get; init; }
    public required ushort IssuerCountry { get; init; }
    public required int IssuerIndex { get; init; }
    public bool Foreign => IssuerCountry != IssuerCatalogue.HomeCountry;

    public ushort ExpiryYyMm { get; set; }
    /// <summary>Track 2 / tag 5F30 service code: 201/221 chip cards, 101 magstripe only.</summary>
    public required ushort ServiceCode { get; init; }
    public bool HasChip => ServiceCode / 100 is 2 or 6;
    public required bool Contactless { get; init; }
    /// <summary>Pays with a phone or watch: every tap is verified on the device (CDCVM).</summary>
    public required bool WalletUser { get; init; }
    /// <summary>Worn or damaged chip that often fails to read: genuine chip fallback.</summary>
    public required bool ChipWorn { get; init; }
    /// <summary>Issued where chip-and-signature / no-CVM is the norm (e.g. US credit cards).</summary>
    public required bool SignaturePreferred { get; init; }
    /// <summary>Debit cards verified by online PIN (girocard-style) rather than offline PIN.</summary>
    public required bool OnlinePinCard { get; init; }

    public required int HomeZone { get; init; }
    /// <summary>How often the holder shops at the simulated merchants (relative).</summary>
    public required double Activity { get; init; }
    /// <summary>Multiplies the merchant's typical ticket.</summary>
    public required double SpendMultiplier { get; init; }
    /// <summary>Chip uses per day at merchants outside the simulation: ATC gaps between our sightings.</summary>
    public required double OffNetworkPerDay { get; init; }
    /// <summary>Relative likelihood of an issuer decline (insufficient funds, limits).</summary>
    public required double DeclineProneness { get; init; }

    /// <summary>Tourist cards: active only during the stay (local day numbers, inclusive).</summary>
    public long ActiveFromDay { get; init; } = long.MinValue;
    public long ActiveToDay { get; init; } = long.MaxValue;

    /// <summary>Created by a fraud episode (testing lists, accomplices, phished details), not a shopper.</summary>
    public bool FraudOnly { get; init; }

    // Mutable EMV state.
    public int Atc { get; set; }
    public long LastAtcUseMs { get; set; } = long.MinValue;
    public int ConsecutiveNoCvm { get; set; }
    public long CumulativeNoCvmMinor { get; set; }
    public int PinTries { get; set; }
    /// <summary>ATC of the card's last chip read at a simulated terminal (-1 = none), for the signal summary.</summary>
    public int LastObservedAtc { get; set; } = -1;

    // Fate.
    public bool Compromised { get; set; }
    public long StolenAtMs { get; set; } = long.MaxValue;
    public long BlockedAtMs { get; set; } = long.MaxValue;
    public int ReplacedBy { get; set; } = -1;
    public long RenewalAtMs { get; set; } = long.MaxValue;
    public ushort RenewedExpiryYyMm { get; set; }
}
