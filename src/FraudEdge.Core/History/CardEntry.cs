namespace FraudEdge.Core.History;

/// <summary>Per-card state in the fixed card table (~150 bytes; capacity from the profile).</summary>
internal struct CardEntry
{
    public UInt128 Token;
    public long LastSeenMs;
    public Timestamps8 RecentTimes;
    public Timestamps4 DeclineTimes;
    /// <summary>64-bit set of merchant hashes where this card made a purchase (refund matching).</summary>
    public ulong PurchaseMerchantMask;
    /// <summary>Fixed-point (×16) moving mean of the quarter-log2 amount.</summary>
    public int UsualAmountLog;
    public ushort Events;
    public ushort LastAtc;
    public byte RecentHead;
    public byte DeclineHead;
    public byte FraudLabels;
    public bool HasAtc;
    public bool HotListed;
    public bool Used;
}
