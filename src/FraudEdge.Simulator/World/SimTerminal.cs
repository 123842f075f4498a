using FraudEdge.Core.Events;

namespace FraudEdge.Simulator.World;

/// <summary>A payment terminal: its identity, its lane and its own event sequence.</summary>
internal sealed class SimTerminal
{
    public required int Index { get; init; }
    public required TerminalId Id { get; init; }
    public required Merchant Merchant { get; init; }
    /// <summary>Lane number in a multi-terminal merchant, 0 when the merchant has a single terminal.</summary>
    public required ushort Lane { get; init; }

    public MerchantArchetype Archetype => Merchant.Archetype;
    public bool Attended => Merchant.Archetype.Attended;

    /// <summary>Per-terminal transaction sequence (like a STAN); event ids are unique across the log.</summary>
    public uint Sequence { get; set; }
    /// <summary>A terminal serves one customer at a time.</summary>
    public long BusyUntilMs { get; set; } = long.MinValue;

    public ulong NextEventId() => ((ulong)(Index + 1) << 32) | ++Sequence;
}
