namespace FraudEdge.Core.History;

/// <summary>Recent refunds by one cashier at one terminal (refund abuse is an insider typology).</summary>
internal struct OperatorEntry
{
    public ulong Key;
    public long LastSeenMs;
    public Timestamps8 RefundTimes;
    /// <summary>Bit i set when refund i had no matching sale for its card at this merchant.</summary>
    public byte UnmatchedMask;
    public byte Head;
    public bool Used;
}
