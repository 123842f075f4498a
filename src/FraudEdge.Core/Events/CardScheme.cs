namespace FraudEdge.Core.Events;

public enum CardScheme : byte
{
    Unknown = 0,
    Visa = 1,
    Mastercard = 2,
    Amex = 3,
    Discover = 4,
    Jcb = 5,
    UnionPay = 6,
    Domestic = 7,
}
