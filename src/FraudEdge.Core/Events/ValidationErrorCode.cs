namespace FraudEdge.Core.Events;

/// <summary>
/// Why an event or notice was refused. Numeric values are part of the wire protocol's error table and
/// the audit log: never renumber, only append.
/// </summary>
public enum ValidationErrorCode : ushort
{
    None = 0,
    MissingEventId = 100,
    MissingTerminalId = 101,
    MissingMerchantId = 102,
    TimestampOutOfRange = 103,
    TimestampOutOfSequence = 104,
    LocalOffsetOutOfRange = 105,
    UndefinedKind = 106,
    NegativeAmount = 107,
    AmountTooLarge = 108,
    CashbackOutOfRange = 109,
    CashbackNotAllowed = 110,
    InvalidCurrency = 111,
    InvalidMerchantCategoryCode = 112,
    InvalidTerminalCountry = 113,
    MissingCardToken = 114,
    InvalidBin = 115,
    InvalidLastFour = 116,
    UndefinedScheme = 117,
    UndefinedCardType = 118,
    InvalidIssuerCountry = 119,
    InvalidExpiry = 120,
    InvalidServiceCode = 121,
    UndefinedEntryMode = 122,
    UndefinedCvm = 123,
    AtcWithoutFlag = 124,
    InvalidTvr = 125,
    UndefinedCryptogram = 126,
    CryptogramWithoutChip = 127,
    ZeroAmount = 128,
    UndefinedOutcomeKind = 150,
    InvalidResponseCode = 151,
    ResponseCodeNotAllowed = 152,
}
