namespace FraudEdge.Core.History;

/// <summary>
/// What the history knew about an event's card, terminal, BIN range and operator just before the event:
/// the numeric view from which the tokenizer makes tokens, the rules make decisions and the tree
/// baseline takes its features. Integer counts only, so it is identical on every architecture.
/// </summary>
public struct EventContext
{
    /// <summary>Events of this card seen before (saturates at 65535); 0 = first time.</summary>
    public int CardEvents;
    public int CardEvents10Min;
    public int CardEvents1Hour;
    public int CardEvents24Hours;
    public int CardDeclines24Hours;
    /// <summary>Milliseconds since the card was last seen; -1 when never.</summary>
    public long MsSinceCardLastSeen;
    /// <summary>The card's usual amount as a fixed-point mean of quarter-log2 amounts (×16); -1 when unknown.</summary>
    public int CardUsualAmountLog;
    /// <summary>This ATC minus the card's last ATC (16-bit wrap aware); int.MinValue when not comparable.</summary>
    public int AtcDelta;
    public int CardFraudLabels;
    /// <summary>A fraud report or chargeback made this card an exception-file (hot list) entry.</summary>
    public bool CardHotListed;
    /// <summary>The card made a purchase at this merchant before (a refund's matching sale may exist).</summary>
    public bool CardPurchasedHereBefore;

    public int TerminalEvents10Min;
    public int TerminalDistinctCards10Min;
    public int TerminalDeclines10Min;
    public int TerminalSmallAmounts10Min;
    /// <summary>Milliseconds since this terminal's previous event; -1 when none.</summary>
    public long MsSinceTerminalPrevious;
    public int TerminalFraudLabels30Days;

    public int BinDistinctCards10Min;
    public int BinDeclines10Min;

    public int OperatorRefunds24Hours;
    /// <summary>Refunds by this operator in 24 h to cards with no purchase at this terminal.</summary>
    public int OperatorUnmatchedRefunds24Hours;

    /// <summary>The terminal's last events, most recent first; <see cref="RecentCount"/> are valid.</summary>
    public RecentEventBuffer Recent;
    public int RecentCount;
}
