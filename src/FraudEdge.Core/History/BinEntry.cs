using System.Runtime.CompilerServices;

namespace FraudEdge.Core.History;

/// <summary>One attempt on a BIN range, for card-testing burst detection.</summary>
internal struct BinAttempt
{
    public long TimestampMs;
    public ulong EventId;
    public uint CardHash32;
    public bool Declined;
}

[InlineArray(16)]
internal struct BinAttempts16
{
    private BinAttempt _element0;
}

/// <summary>Recent attempts on one 6-digit BIN range (EMV card testing cycles through a range).</summary>
internal struct BinEntry
{
    public uint Prefix6;
    public long LastSeenMs;
    public BinAttempts16 Attempts;
    public byte Head;
    public bool Used;
}
