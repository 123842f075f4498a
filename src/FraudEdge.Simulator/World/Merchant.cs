using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>A card acceptor with one or more terminals (lanes) and, when attended, a rota of cashiers.</summary>
internal sealed class Merchant
{
    public const int RecentPurchaseCapacity = 512;

    public required int Index { get; init; }
    public required MerchantId Id { get; init; }
    public required MerchantArchetype Archetype { get; init; }
    /// <summary>Neighbourhood: most of its customers live in the same zone.</summary>
    public int Zone { get; set; }
    /// <summary>How much busier or quieter than the archetype's typical shop.</summary>
    public required double SizeFactor { get; init; }
    public List<SimTerminal> Terminals { get; } = [];
    /// <summary>Cashier ids; empty for unattended merchants.</summary>
    public required uint[] Operators { get; init; }

    /// <summary>Recent genuine purchases (card, amount), so genuine returns refund a card that bought here.</summary>
    public (int Card, long Amount)[] RecentPurchases { get; } = new (int, long)[RecentPurchaseCapacity];
    public int RecentPurchaseCount { get; set; }

    public void RememberPurchase(int card, long amount)
    {
        RecentPurchases[RecentPurchaseCount % RecentPurchaseCapacity] = (card, amount);
        RecentPurchaseCount++;
    }

    /// <summary>
    /// The cashier on a lane: two shifts (opening to 14:00, 14:00 to close) rotating daily through the team,
    /// so one operator works different lanes on different days.
    /// </summary>
    public uint OperatorOnShift(int lane, long localDay, int localHour)
    {
        if (Operators.Length == 0) return 0;
        int shift = localHour is >= 14 or < 4 ? 1 : 0;
        long slot = (lane * 2L) + shift + localDay;
        return Operators[(int)(((slot % Operators.Length) + Operators.Length) % Operators.Length)];
    }
}
