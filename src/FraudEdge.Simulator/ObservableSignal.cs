namespace FraudEdge.Simulator;

/// <summary>
/// Things a terminal can see that fraud typologies lean on. The summary counts each in genuine and in fraud
/// traffic, to show that none of them separates fraud on its own.
/// </summary>
public enum ObservableSignal
{
    /// <summary>Magstripe read after a failed chip read.</summary>
    ChipFallback = 0,
    /// <summary>A card whose service code says chip, swiped directly.</summary>
    ChipCardSwiped,
    KeyEntered,
    ForeignCard,
    Refund,
    /// <summary>A refund to a card never seen buying at this terminal.</summary>
    RefundWithoutPurchaseHere,
    /// <summary>Contactless above the EUR 50 CVM limit with no CVM (no PIN, no CDCVM).</summary>
    ContactlessOverLimitNoCvm,
    /// <summary>The ATC repeats or goes back, or jumps by more than 250, against the card's last ATC seen here.</summary>
    AtcRepeatOrJump,
    /// <summary>Above EUR 150 between 00:00 and 05:59 local time.</summary>
    NightHighValue,
    /// <summary>Chip or tap above EUR 150 verified by signature or not at all.</summary>
    HighValueWithoutPin,
    /// <summary>Below EUR 5.</summary>
    SmallAmount,
    /// <summary>The issuer or the card declined.</summary>
    Declined,
}
