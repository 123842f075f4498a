namespace FraudEdge.Core.Events;

public enum CardType : byte
{
    Unknown = 0,
    Debit = 1,
    Credit = 2,
    Prepaid = 3,
    Commercial = 4,
}
