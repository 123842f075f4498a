namespace FraudEdge.Core.History;

/// <summary>What the terminal knows about a past event's fate, updated by outcome notices.</summary>
public enum EventOutcome : byte
{
    Pending = 0,
    Approved = 1,
    Declined = 2,
    /// <summary>A fraud report or chargeback arrived for it.</summary>
    Fraud = 3,
}
