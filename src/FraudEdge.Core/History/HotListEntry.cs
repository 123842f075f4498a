namespace FraudEdge.Core.History;

/// <summary>
/// One card on the terminal's exception file (EMV Book 3 §10.3, "card on exception file"): put there by a
/// fraud report or chargeback. Kept apart from the card table so ordinary traffic — or a card-testing bot
/// cycling thousands of cards — cannot push a hot-listed card out; only newer fraud labels can.
/// </summary>
internal struct HotListEntry
{
    public UInt128 Token;
    public long LabelledAtMs;
    public bool Used;
}
