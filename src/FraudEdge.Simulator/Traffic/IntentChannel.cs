namespace FraudEdge.Simulator.Traffic;

/// <summary>How a planned transaction reaches the terminal; <see cref="Auto"/> lets the card and terminal decide.</summary>
internal enum IntentChannel : byte
{
    /// <summary>Genuine cardholder behaviour: tap, insert, or swipe a magstripe-only card.</summary>
    Auto = 0,
    /// <summary>Insert the card (after a "please insert card" soft decline or a wrong PIN).</summary>
    ChipOnly,
    /// <summary>Tap with no CVM whatever the amount (thief under the limit, or CVM-limit bypass above it).</summary>
    ContactlessNoCvm,
    /// <summary>Magstripe read of a card whose service code says chip.</summary>
    Swipe,
    /// <summary>Magstripe read after a failed chip read (DE 22 = 80).</summary>
    Fallback,
    KeyEntered,
    /// <summary>Stored card data (hotel check-out completion).</summary>
    CardOnFile,
    /// <summary>Chip read, PIN skipped by the cashier (signature or nothing instead).</summary>
    ChipPinBypass,
    /// <summary>Chip read, wrong PIN entered.</summary>
    ChipWrongPin,
    /// <summary>Chip data replayed with an already used (or earlier) ATC.</summary>
    AtcReplay,
    /// <summary>Chip data with an ATC far ahead of the card's.</summary>
    AtcJump,
    /// <summary>Fuel-pump completion after a pre-authorisation: no new card read.</summary>
    PumpCompletion,
    /// <summary>Cashier voids the previous transaction: no new card read.</summary>
    Void,
    /// <summary>Terminal resubmits a timed-out authorisation with the same cryptogram (same ATC).</summary>
    RetryDuplicate,
}
