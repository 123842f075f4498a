using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;
using FraudEdge.Core.Tests.Bundles;
using FraudEdge.Core.Tests.Crypto;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>
/// A clean close seals the open segment (SealOnClose, the default): every record written before a clean stop is
/// covered by a signed checkpoint, and the next open continues the chain in a new segment.
/// </summary>
public sealed class AuditSealTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_clean_close_signs_every_record_and_the_next_open_continues_in_a_new_segment()
    {
        using P256PrivateKey signer = TestKeys.NewPrivateKey();
        using var trusted = TrustedKeys.FromPem(signer.PublicKey.ExportSubjectPublicKeyInfoPem());
        AuditLogOptions options = AuditSamples.Options(_temp.Path, signingKey: signer, sealOnClose: true);
        AuditSamples.Write(options, 7);

        AuditVerifyReport first = AuditVerifier.Verify(_temp.Path, trusted);
        Assert.True(first.Intact, first.Problem?.ToString());
        Assert.Equal(1, first.Segments);
        Assert.Equal(1, first.SignedCheckpoints);
        Assert.Equal(0L, first.RecordsAfterLastCheckpoint);
        AuditRecord seal = AuditSamples.ReadAll(_temp.Path)[^1];
        Assert.Equal(AuditRecordType.Checkpoint, seal.Type);
        Assert.Equal(7ul, seal.Checkpoint!.LastRecord);
        // The sealed segment ends at its checkpoint: the preallocated zeros were cut off.
        Assert.Equal(seal.Offset + AuditSamples.FrameLength(File.ReadAllBytes(AuditSamples.SegmentPath(_temp.Path, 1)), seal.Offset),
            new FileInfo(AuditSamples.SegmentPath(_temp.Path, 1)).Length);

        using (var log = AuditLog.Open(options))
        {
            Assert.True(log.Recovery.StartedNewSegment);
            Assert.False(log.Recovery.TornTail);
            Assert.Equal(2u, log.Recovery.Segment);
            Assert.Equal(9ul, log.AppendOutcome(AuditSamples.Notice(9), ValidationErrorCode.None)); // 8 was the checkpoint
        }

        AuditVerifyReport second = AuditVerifier.Verify(_temp.Path, trusted);
        Assert.True(second.Intact, second.Problem?.ToString());
        Assert.Equal(2, second.Segments);
        Assert.Equal(2, second.SignedCheckpoints);
        Assert.Equal(0L, second.RecordsAfterLastCheckpoint);
        Assert.Equal(10ul, second.LastRecord);
    }

    [Fact]
    public void A_log_closed_with_no_record_since_it_opened_gets_no_checkpoint()
    {
        AuditLogOptions options = AuditSamples.Options(_temp.Path, sealOnClose: true);
        using (AuditLog.Open(options))
        {
        }
        using (var log = AuditLog.Open(options))
        {
            Assert.False(log.Recovery.StartedNewSegment);
            Assert.Equal(0ul, log.LastRecordNumber);
        }
        AuditVerifyReport report = AuditVerifier.Verify(_temp.Path);
        Assert.True(report.Intact, report.Problem?.ToString());
        Assert.Equal(0, report.Checkpoints);
        Assert.Equal(1, report.Segments);
    }

    [Fact]
    public void Unsealed_the_open_segment_stays_open_and_the_next_open_appends_to_it()
    {
        AuditLogOptions options = AuditSamples.Options(_temp.Path, sealOnClose: false);
        AuditSamples.Write(options, 5);
        AuditVerifyReport report = AuditVerifier.Verify(_temp.Path);
        Assert.Equal(0, report.Checkpoints);
        Assert.Equal(5L, report.RecordsAfterLastCheckpoint);
        using var log = AuditLog.Open(options);
        Assert.False(log.Recovery.StartedNewSegment);
        Assert.Equal(1u, log.Recovery.Segment);
    }

    [Fact]
    public void A_segment_sealed_by_a_clean_close_then_rotated_keeps_one_checkpoint_per_segment()
    {
        // Small segments: the second session rotates; every segment still ends with exactly one checkpoint.
        AuditLogOptions options = AuditSamples.Options(_temp.Path, segmentBytes: 4096, sealOnClose: true);
        AuditSamples.Write(options, 3);
        AuditSamples.Write(options, 40);
        AuditVerifyReport report = AuditVerifier.Verify(_temp.Path);
        Assert.True(report.Intact, report.Problem?.ToString());
        Assert.Equal(report.Segments, report.Checkpoints);
        Assert.Equal(0L, report.RecordsAfterLastCheckpoint);
    }
}
