using FraudEdge.Core.Events;

namespace FraudEdge.Core.History;

/// <summary>What the terminal remembers of one past event: enough for the tokenizer's history groups.</summary>
public struct RecentEvent
{
    public ulong EventId;
    public long TimestampUtcMs;
    public long AmountMinor;
    public ulong CardHash;
    public uint BinPrefix6;
    public uint OperatorId;
    public TransactionKind Kind;
    public EntryMode EntryMode;
    public EventOutcome Outcome;
}
