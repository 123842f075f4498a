namespace FraudEdge.Core.Events;

/// <summary>What the terminal was asked to do (ISO 8583 processing code, simplified to what a POS sees).</summary>
public enum TransactionKind : byte
{
    /// <summary>Not reported (imported history without this column).</summary>
    Unknown = 0,
    Purchase = 1,
    Refund = 2,
    Void = 3,
    PreAuthorization = 4,
    Completion = 5,
    CashAdvance = 6,
}
