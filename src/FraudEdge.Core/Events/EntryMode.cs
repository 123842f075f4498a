namespace FraudEdge.Core.Events;

/// <summary>How the card data reached the terminal (ISO 8583 DE 22 POS entry mode, grouped).</summary>
public enum EntryMode : byte
{
    /// <summary>Not reported (imported history without this column).</summary>
    Unknown = 0,
    Chip = 1,
    ContactlessChip = 2,
    ContactlessMagstripe = 3,
    Swipe = 4,
    /// <summary>Magstripe read after a failed chip read (DE 22 = 80): a classic skimming/cloning signal.</summary>
    ChipFallbackSwipe = 5,
    KeyEntered = 6,
    CardOnFile = 7,
}
