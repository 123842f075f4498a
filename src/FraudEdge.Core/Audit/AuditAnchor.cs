using System.Globalization;

namespace FraudEdge.Core.Audit;

/// <summary>
/// An audit log's head as reported off the device — record number and SHA-256 (Status keys 31/32,
/// <see cref="AuditLog.Head"/>) — kept by a back office, printed on a Z-report or a receipt. A log verified against it
/// must still hold that record with that hash: records cut off the end (which leave a shorter, internally valid
/// chain) or a rewritten history then show (docs/audit-log.md, "Anchoring the head").
/// </summary>
public readonly record struct AuditAnchor(ulong Record, AuditHash Hash)
{
    /// <summary>"RECORD:SHA256" (decimal record number, 64 hex digits), as `fraudedge verify --expect-head` takes it.</summary>
    public static bool TryParse(string text, out AuditAnchor anchor)
    {
        anchor = default;
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !ulong.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out ulong record) || record == 0)
            return false;
        try
        {
            anchor = new AuditAnchor(record, AuditHash.ParseHex(text[(colon + 1)..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Null when the verified log holds this record with this hash; otherwise why not. Call after
    /// <see cref="AuditVerifier.Verify"/> reported the log intact (the chain then ties every later record to this one).
    /// </summary>
    public string? Check(string directory, AuditVerifyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Intact) return "the log is not intact, so the anchor cannot be checked";
        if (report.Records == 0 || Record > report.LastRecord)
            return string.Create(CultureInfo.InvariantCulture,
                $"the anchored head is record {Record}, but the log ends at record {report.LastRecord}: records {report.LastRecord + 1}..{Record} were cut off");
        if (Record < report.FirstRecord)
            return string.Create(CultureInfo.InvariantCulture,
                $"the anchored record {Record} was rotated away (the log starts at {report.FirstRecord}): this anchor can no longer be checked; use a newer one");
        // Only the segment that holds the record is read (its header names its first record): verify has already
        // read the whole log once, and a 100 MB log should not be read twice for one hash.
        List<uint> segments = AuditFormat.ListSegments(directory);
        for (int i = segments.Count - 1; i >= 0; i--)
        {
            if (FirstRecordOf(directory, segments[i]) is not { } first || first > Record) continue;
            using var reader = new AuditReader(directory, segments[i], decodePayloads: false, lastIsNewest: i == segments.Count - 1);
            while (reader.Read(out AuditRecord record) == AuditReadResult.Record)
            {
                if (record.Number != Record) continue;
                return record.Hash == Hash ? null : string.Create(CultureInfo.InvariantCulture,
                    $"record {Record} has SHA-256 {record.Hash}, the anchor says {Hash}: the log was rewritten after the head was reported");
            }
            break;
        }
        return string.Create(CultureInfo.InvariantCulture, $"record {Record} was not found although the log spans it");
    }

    /// <summary>
    /// The segment header's first record number; null when the header is unreadable (verify reports that) or the
    /// file is gone (a running service's rotation deleted it since the listing).
    /// </summary>
    private static ulong? FirstRecordOf(string directory, uint segment)
    {
        try
        {
            string path = Path.Combine(directory, AuditFormat.SegmentFileName(segment));
            return AuditSegmentHeader.TryReadFile(path, out AuditSegmentHeader header, out _) is null ? header.FirstRecord : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
