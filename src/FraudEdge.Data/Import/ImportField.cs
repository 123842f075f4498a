namespace FraudEdge.Data.Import;

/// <summary>Event fields a CSV column can provide. The snake_case names are the default column headers.</summary>
public enum ImportField
{
    // Required.
    Timestamp,
    CardId,
    TerminalId,
    Amount,
    Fraud,
    // Optional: a missing column leaves the field unknown.
    EventId,
    MerchantId,
    Kind,
    Currency,
    Mcc,
    TerminalCountry,
    Bin,
    LastFour,
    Scheme,
    CardType,
    IssuerCountry,
    Expiry,
    ServiceCode,
    EntryMode,
    Cvm,
    Atc,
    Tvr,
    Cryptogram,
    Attended,
    Lane,
    OperatorId,
    Cashback,
    LocalOffsetMinutes,
    ResponseCode,
}
