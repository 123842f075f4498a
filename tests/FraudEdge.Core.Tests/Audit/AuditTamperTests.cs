using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Tests.Bundles;
using FraudEdge.Core.Tests.Crypto;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>
/// The tamper list, each on a three-segment log, each asserting the kind verify reports and exactly where:
/// segment file, byte offset, record number.
/// </summary>
public sealed class AuditTamperTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _dir;
    private readonly List<AuditRecord> _records;

    public AuditTamperTests()
    {
        _dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(_dir, segmentBytes: 16 * 1024), 160);
        _records = AuditSamples.ReadAll(_dir);
        Assert.True(AuditVerifier.Verify(_dir).Intact);
        Assert.Equal(3, Directory.GetFiles(_dir, "audit-*.log").Length);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A decision in the middle of segment 2 (not its first or last two records).</summary>
    private AuditRecord MiddleDecision(uint segment = 2)
    {
        var inSegment = _records.FindAll(r => r.Segment == segment);
        return inSegment.Find(r => r.Type == AuditRecordType.Decision && r.Number > inSegment[2].Number && r.Number < inSegment[^3].Number &&
            _records[(int)r.Number].Type == AuditRecordType.Decision); // and the next one a decision too (same size)
    }

    private AuditRecord Next(AuditRecord r) => _records.Find(x => x.Number == r.Number + 1);

    private AuditProblem Broken(TrustedKeys? keys = null)
    {
        AuditVerifyReport report = AuditVerifier.Verify(_dir, keys);
        Assert.False(report.Intact, "verify passed a tampered log");
        return report.Problem!;
    }

    private static void AssertAt(AuditProblem p, AuditProblemKind kind, uint segment, long offset, ulong record)
    {
        Assert.Equal(kind, p.Kind);
        Assert.Equal($"audit-{segment:D8}.log", p.SegmentFile);
        Assert.Equal(segment, p.Segment);
        Assert.Equal(offset, p.Offset);
        Assert.Equal(record, p.RecordNumber);
    }

    [Fact]
    public void Flipped_byte_is_a_bad_crc_at_that_record()
    {
        AuditRecord r = MiddleDecision();
        string path = AuditSamples.SegmentPath(_dir, 2);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[r.Offset + 100] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        AssertAt(Broken(), AuditProblemKind.BadCrc, 2, r.Offset, r.Number);
    }

    [Fact]
    public void Deleted_record_is_a_gap_in_the_numbers_where_it_was()
    {
        AuditRecord r = MiddleDecision();
        string path = AuditSamples.SegmentPath(_dir, 2);
        byte[] bytes = File.ReadAllBytes(path);
        int frame = AuditSamples.FrameLength(bytes, r.Offset);
        File.WriteAllBytes(path, [.. bytes.AsSpan(0, (int)r.Offset), .. bytes.AsSpan((int)r.Offset + frame)]);
        AuditProblem p = Broken();
        AssertAt(p, AuditProblemKind.NonConsecutiveRecordNumber, 2, r.Offset, r.Number);
        Assert.Contains($"record number {r.Number + 1} where {r.Number} was expected", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleted_and_renumbered_records_with_fixed_crcs_break_the_chain()
    {
        // An attacker who renumbers every later record of the segment and fixes each CRC still cannot forge the
        // previous-hash link without rewriting every record after it.
        AuditRecord r = MiddleDecision();
        string path = AuditSamples.SegmentPath(_dir, 2);
        byte[] bytes = File.ReadAllBytes(path);
        int frame = AuditSamples.FrameLength(bytes, r.Offset);
        byte[] cut = [.. bytes.AsSpan(0, (int)r.Offset), .. bytes.AsSpan((int)r.Offset + frame)];
        for (long o = r.Offset; o < cut.Length; o += AuditSamples.FrameLength(cut, o))
        {
            ulong n = BitConverter.ToUInt64(cut, (int)o + 9);
            BitConverter.TryWriteBytes(cut.AsSpan((int)o + 9), n - 1);
            AuditSamples.FixCrc(cut, o);
        }
        File.WriteAllBytes(path, cut);
        AssertAt(Broken(), AuditProblemKind.BrokenChain, 2, r.Offset, r.Number);
    }

    [Fact]
    public void Two_reordered_records_are_reported_at_the_first()
    {
        AuditRecord a = MiddleDecision();
        AuditRecord b = Next(a);
        string path = AuditSamples.SegmentPath(_dir, 2);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(AuditSamples.DecisionFrame, AuditSamples.FrameLength(bytes, a.Offset));
        Assert.Equal(AuditSamples.DecisionFrame, AuditSamples.FrameLength(bytes, b.Offset));
        byte[] first = bytes.AsSpan((int)a.Offset, AuditSamples.DecisionFrame).ToArray();
        bytes.AsSpan((int)b.Offset, AuditSamples.DecisionFrame).CopyTo(bytes.AsSpan((int)a.Offset));
        first.CopyTo(bytes.AsSpan((int)b.Offset));
        File.WriteAllBytes(path, bytes);
        AuditProblem p = Broken();
        AssertAt(p, AuditProblemKind.NonConsecutiveRecordNumber, 2, a.Offset, a.Number);
        Assert.Contains($"record number {b.Number} where {a.Number} was expected", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_truncated_at_a_record_boundary_lost_its_checkpoint()
    {
        AuditRecord checkpoint = _records.FindLast(r => r.Segment == 2)!;
        Assert.Equal(AuditRecordType.Checkpoint, checkpoint.Type);
        AuditRecord r = MiddleDecision();
        using (var f = File.OpenWrite(AuditSamples.SegmentPath(_dir, 2))) f.SetLength(r.Offset);
        AssertAt(Broken(), AuditProblemKind.MissingCheckpoint, 2, r.Offset, r.Number);
    }

    [Fact]
    public void Segment_truncated_inside_a_record_is_a_truncated_segment()
    {
        AuditRecord r = MiddleDecision();
        using (var f = File.OpenWrite(AuditSamples.SegmentPath(_dir, 2))) f.SetLength(r.Offset + 40);
        AssertAt(Broken(), AuditProblemKind.TruncatedSegment, 2, r.Offset, r.Number);
    }

    [Fact]
    public void Newest_segment_truncated_inside_a_record_is_a_torn_tail()
    {
        AuditRecord last = _records[^1];
        Assert.Equal(3u, last.Segment);
        using (var f = File.OpenWrite(AuditSamples.SegmentPath(_dir, 3))) f.SetLength(last.Offset + 10);
        AssertAt(Broken(), AuditProblemKind.TornTail, 3, last.Offset, last.Number);
    }

    [Fact]
    public void Swapped_model_hash_with_a_fixed_crc_is_caught_by_the_next_link()
    {
        AuditRecord r = MiddleDecision();
        string path = AuditSamples.SegmentPath(_dir, 2);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(AuditSamples.Model.ManifestSha256, AuditHash.Read(bytes.AsSpan((int)r.Offset + AuditSamples.ModelShaInFrame)));
        new AuditHash(0xBAD, 0xBAD, 0xBAD, 0xBAD).CopyTo(bytes.AsSpan((int)r.Offset + AuditSamples.ModelShaInFrame));
        AuditSamples.FixCrc(bytes, r.Offset);
        File.WriteAllBytes(path, bytes);
        AuditRecord next = Next(r);
        AuditProblem p = Broken();
        AssertAt(p, AuditProblemKind.BrokenChain, 2, next.Offset, next.Number);
        Assert.Contains($"record {r.Number} was changed", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Swapped_hash_in_a_checkpoint_is_caught_by_the_next_segment_header()
    {
        AuditRecord checkpoint = _records.FindLast(r => r.Segment == 1)!;
        string path = AuditSamples.SegmentPath(_dir, 1);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[checkpoint.Offset + 8 + 49 + 30] ^= 1; // inside the head hash; the CRC fixed
        AuditSamples.FixCrc(bytes, checkpoint.Offset);
        File.WriteAllBytes(path, bytes);
        Assert.Equal(AuditProblemKind.CheckpointMismatch, Broken().Kind);
    }

    [Fact]
    public void Deleted_middle_segment_is_missing()
    {
        File.Delete(AuditSamples.SegmentPath(_dir, 2));
        AuditRecord firstOf3 = _records.Find(r => r.Segment == 3);
        AssertAt(Broken(), AuditProblemKind.MissingSegment, 3, 0, _records.Find(r => r.Segment == 2).Number);
        Assert.True(firstOf3.Number > 0);
    }

    [Fact]
    public void Deleted_oldest_segment_without_a_gap_record_is_missing()
    {
        File.Delete(AuditSamples.SegmentPath(_dir, 1));
        AuditProblem p = Broken();
        AssertAt(p, AuditProblemKind.MissingSegment, 2, 0, _records.Find(r => r.Segment == 2).Number);
        Assert.Contains("no Gap record explains", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_appended_after_a_checkpoint_is_refused()
    {
        string path = AuditSamples.SegmentPath(_dir, 1);
        byte[] bytes = File.ReadAllBytes(path);
        AuditRecord firstOf2 = _records.Find(r => r.Segment == 2);
        byte[] second = File.ReadAllBytes(AuditSamples.SegmentPath(_dir, 2));
        // Move segment 2's first record to the end of segment 1: its number and link are right, its place is not.
        File.WriteAllBytes(path, [.. bytes, .. second.AsSpan((int)firstOf2.Offset, AuditSamples.FrameLength(second, firstOf2.Offset))]);
        AssertAt(Broken(), AuditProblemKind.RecordAfterCheckpoint, 1, bytes.Length, firstOf2.Number);
    }

    [Fact]
    public void Checkpoints_signed_by_an_untrusted_key_or_unsigned_fail_with_keys_given()
    {
        using P256PrivateKey signer = TestKeys.NewPrivateKey();
        using P256PrivateKey other = TestKeys.NewPrivateKey();
        using var signed = new TempDirectory();
        AuditSamples.Write(AuditSamples.Options(signed.Path, segmentBytes: 16 * 1024, signingKey: signer), 160);
        using var right = TrustedKeys.FromPem(signer.PublicKey.ExportSubjectPublicKeyInfoPem());
        using var wrong = TrustedKeys.FromPem(other.PublicKey.ExportSubjectPublicKeyInfoPem());

        AuditVerifyReport good = AuditVerifier.Verify(signed.Path, right);
        Assert.True(good.Intact, good.Problem?.ToString());
        Assert.Equal(2, good.SignedCheckpoints);
        Assert.True(good.SignaturesChecked);

        AuditRecord firstCheckpoint = AuditSamples.ReadAll(signed.Path).Find(r => r.Type == AuditRecordType.Checkpoint);
        AuditProblem bad = AuditVerifier.Verify(signed.Path, wrong).Problem!;
        AssertAt(bad, AuditProblemKind.BadCheckpointSignature, 1, firstCheckpoint.Offset, firstCheckpoint.Number);

        AuditRecord unsignedCheckpoint = _records.Find(r => r.Type == AuditRecordType.Checkpoint);
        AssertAt(Broken(right), AuditProblemKind.UnsignedCheckpoint, 1, unsignedCheckpoint.Offset, unsignedCheckpoint.Number);
    }

    [Fact]
    public void A_forged_signature_with_a_fixed_crc_breaks_the_chain_and_fails_the_signature()
    {
        using P256PrivateKey signer = TestKeys.NewPrivateKey();
        using var signed = new TempDirectory();
        AuditSamples.Write(AuditSamples.Options(signed.Path, segmentBytes: 16 * 1024, signingKey: signer), 160);
        AuditRecord checkpoint = AuditSamples.ReadAll(signed.Path).Find(r => r.Type == AuditRecordType.Checkpoint);
        string path = AuditSamples.SegmentPath(signed.Path, 1);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[checkpoint.Offset + 8 + 49 + 62 + 20] ^= 0x40; // a byte of the DER signature
        AuditSamples.FixCrc(bytes, checkpoint.Offset);
        File.WriteAllBytes(path, bytes);
        using var keys = TrustedKeys.FromPem(signer.PublicKey.ExportSubjectPublicKeyInfoPem());
        AuditProblem p = AuditVerifier.Verify(signed.Path, keys).Problem!;
        Assert.Equal(AuditProblemKind.BadCheckpointSignature, p.Kind);
        Assert.Equal(checkpoint.Offset, p.Offset);
        // Without keys the signature is not checked, but the changed checkpoint no longer links to segment 2.
        AssertAt(AuditVerifier.Verify(signed.Path).Problem!, AuditProblemKind.BrokenChain, 2, 0, checkpoint.Number + 1);
    }
}
