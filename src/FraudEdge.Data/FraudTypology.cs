namespace FraudEdge.Data;

/// <summary>
/// Ground truth stored with each event of a simulated log: which fraud pattern produced it. The numeric
/// values are part of the event log format and of the dataset contract (<c>S.typology.npy</c>): append only.
/// </summary>
public enum FraudTypology : byte
{
    Legitimate = 0,
    /// <summary>Many small attempts with many cards of one BIN range, many declines.</summary>
    CardTesting = 1,
    /// <summary>Counterfeit magstripe copy of a chip card: swiped, or forced into chip fallback.</summary>
    SkimmedClone = 2,
    /// <summary>Stolen card details keyed in by a complicit or deceived cashier.</summary>
    KeyEnteredAttended = 3,
    /// <summary>A lost or stolen physical card used fast, at high-risk merchants, without a CVM.</summary>
    StolenCardSpree = 4,
    /// <summary>A cashier refunding to accomplice cards with no matching sale.</summary>
    RefundAbuse = 5,
    /// <summary>Cloned chip / pre-play: the application transaction counter repeats or jumps.</summary>
    AtcAnomaly = 6,
    /// <summary>Contactless above the terminal's CVM limit with no CVM and no consumer-device CVM.</summary>
    ContactlessOverLimit = 7,
    /// <summary>No ground truth (imported history).</summary>
    Unknown = 255,
}
