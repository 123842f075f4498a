using FraudEdge.Core.Audit;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>An anchored head (record number + SHA-256 reported off the device) checked against a many-segment log.</summary>
public sealed class AuditAnchorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_record_of_every_segment_matches_its_own_anchor_and_no_other_hash()
    {
        AuditSamples.Write(AuditSamples.Options(_temp.Path, segmentBytes: 4096), 60);
        List<AuditRecord> records = AuditSamples.ReadAll(_temp.Path);
        Assert.True(records.Select(r => r.Segment).Distinct().Count() >= 4, "the log should span several segments");
        AuditVerifyReport report = AuditVerifier.Verify(_temp.Path);
        Assert.True(report.Intact, report.Problem?.ToString());

        foreach (AuditRecord r in records)
        {
            Assert.Null(new AuditAnchor(r.Number, r.Hash).Check(_temp.Path, report));
            string? wrong = new AuditAnchor(r.Number, r.PreviousHash).Check(_temp.Path, report);
            Assert.Contains($"record {r.Number} has SHA-256 {r.Hash}", wrong, StringComparison.Ordinal);
        }
        string? beyond = new AuditAnchor(records[^1].Number + 3, records[^1].Hash).Check(_temp.Path, report);
        Assert.Contains($"records {records[^1].Number + 1}..{records[^1].Number + 3} were cut off", beyond, StringComparison.Ordinal);
    }
}
