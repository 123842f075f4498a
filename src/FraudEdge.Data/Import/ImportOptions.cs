namespace FraudEdge.Data.Import;

/// <summary>How to read a CSV of historical transactions into an event log.</summary>
public sealed record ImportOptions
{
    public ColumnMap Columns { get; init; } = new();
    /// <summary>Tokenization key for card ids (HMAC-SHA-256 key, at least 16 bytes).</summary>
    public required byte[] TokenKey { get; init; }
    public char Delimiter { get; init; } = ',';
    /// <summary>A fraud-labelled row's FraudReported notice arrives this long after the row's timestamp.</summary>
    public TimeSpan LabelDelay { get; init; } = TimeSpan.Zero;
    /// <summary>Amounts are already in minor units (cents) rather than major units with a decimal point.</summary>
    public bool AmountInMinorUnits { get; init; }
    /// <summary>Errors kept in the summary (all are counted).</summary>
    public int MaxErrorsKept { get; init; } = 1000;
}
