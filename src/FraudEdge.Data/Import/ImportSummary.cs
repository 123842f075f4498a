namespace FraudEdge.Data.Import;

/// <summary>Counts of one import, for the end-of-run report.</summary>
public sealed class ImportSummary
{
    public long Rows { get; internal set; }
    public long Imported { get; internal set; }
    public long Rejected { get; internal set; }
    public long FraudLabels { get; internal set; }
    public long IssuerResponses { get; internal set; }
    /// <summary>Card ids that look like PANs (13-19 digits, Luhn-valid); they were tokenized and not stored.</summary>
    public long PanLikeCardIds { get; internal set; }
    public long DistinctTerminals { get; internal set; }
    public long FirstTimestampUtcMs { get; internal set; }
    public long LastTimestampUtcMs { get; internal set; }
    /// <summary>Optional fields that had no column: they are unknown in every imported event.</summary>
    public List<string> MissingOptionalFields { get; } = [];
    public List<ImportRowError> Errors { get; } = [];
}
