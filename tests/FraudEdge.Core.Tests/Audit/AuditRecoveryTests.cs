using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>Opening a log after a crash: torn tails are cut and reported, corruption is refused, never accepted.</summary>
public sealed class AuditRecoveryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_record_cut_at_every_offset_is_truncated_reported_and_appending_continues()
    {
        string source = Path.Combine(_temp.Path, "source");
        AuditSamples.Write(AuditSamples.Options(source), 12);
        List<AuditRecord> records = AuditSamples.ReadAll(source);
        AuditRecord last = records[^1];
        byte[] whole = File.ReadAllBytes(AuditSamples.SegmentPath(source, 1));
        int frame = AuditSamples.FrameLength(whole, last.Offset);
        Assert.Equal(whole.Length, last.Offset + frame);

        for (int cut = 1; cut < frame; cut++)
        {
            string dir = Path.Combine(_temp.Path, $"cut-{cut}");
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(AuditSamples.SegmentPath(dir, 1), whole.AsSpan(0, (int)last.Offset + cut).ToArray());

            AuditProblem before = AuditVerifier.Verify(dir).Problem!;
            Assert.Equal(AuditProblemKind.TornTail, before.Kind);
            Assert.Equal(last.Offset, before.Offset);
            Assert.Equal(last.Number, before.RecordNumber);

            using (var log = AuditLog.Open(AuditSamples.Options(dir)))
            {
                Assert.True(log.Recovery.TornTail, $"cut {cut}: torn tail not reported");
                Assert.Equal(last.Offset, log.Recovery.TornTailProblem!.Offset);
                Assert.Equal(cut, log.Recovery.TornBytes);
                Assert.Equal(last.Number - 1, log.Recovery.LastRecordNumber);
                Assert.Equal(last.Number, log.AppendDecision(AuditSamples.Event(99), AuditSamples.DecisionFor(99), AuditSamples.Model));
            }
            AuditVerifyReport after = AuditVerifier.Verify(dir);
            Assert.True(after.Intact, $"cut {cut}: {after.Problem}");
            Assert.Equal(last.Number, after.LastRecord);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_cut_at_a_record_boundary_is_not_a_torn_tail()
    {
        // What a hash chain cannot see on its own: the newest records removed whole. HeadHash / LastRecordNumber
        // anchored elsewhere (docs/audit-log.md, "What verify cannot see") is the control for that.
        string dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(dir), 12);
        AuditRecord last = AuditSamples.ReadAll(dir)[^1];
        using (var f = File.OpenWrite(AuditSamples.SegmentPath(dir, 1))) f.SetLength(last.Offset);
        Assert.True(AuditVerifier.Verify(dir).Intact);
        using var log = AuditLog.Open(AuditSamples.Options(dir));
        Assert.False(log.Recovery.TornTail);
        Assert.Equal(last.Number - 1, log.LastRecordNumber);
    }

    [Fact]
    public void A_zero_filled_tail_is_the_preallocated_end_and_the_next_append_overwrites_it()
    {
        // The writer preallocates: a log whose process died (no Dispose, no trim) ends in zeros after its last record.
        string dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(dir), 6);
        string path = AuditSamples.SegmentPath(dir, 1);
        long length = new FileInfo(path).Length;
        using (var f = File.OpenWrite(path)) f.SetLength(length + 4096);
        AuditVerifyReport before = AuditVerifier.Verify(dir);
        Assert.True(before.Intact, before.Problem?.ToString());
        Assert.Equal(6ul, before.LastRecord);
        using (var log = AuditLog.Open(AuditSamples.Options(dir)))
        {
            Assert.False(log.Recovery.TornTail);
            Assert.Equal(6ul, log.LastRecordNumber);
            Assert.Equal(7ul, log.AppendOutcome(AuditSamples.Notice(7), ValidationErrorCode.None));
            Assert.Equal(length + 4096, new FileInfo(path).Length); // written into the zeros, the file did not grow
        }
        Assert.True(AuditVerifier.Verify(dir).Intact);
        Assert.Equal(AuditSamples.ReadAll(dir)[^1].Offset + AuditSamples.FrameLength(File.ReadAllBytes(path), AuditSamples.ReadAll(dir)[^1].Offset),
            new FileInfo(path).Length); // Dispose cut the zeros off again
    }

    [Fact]
    public void A_record_torn_inside_the_preallocated_zeros_is_truncated_at_every_offset()
    {
        string source = Path.Combine(_temp.Path, "source");
        AuditSamples.Write(AuditSamples.Options(source), 8);
        AuditRecord last = AuditSamples.ReadAll(source)[^1];
        byte[] whole = File.ReadAllBytes(AuditSamples.SegmentPath(source, 1));
        int frame = AuditSamples.FrameLength(whole, last.Offset);
        const int zeros = 8192;
        for (int cut = 1; cut < frame; cut++)
        {
            // What a crash mid-pwrite leaves in a preallocated segment: a prefix of the record, then the zeros.
            string dir = Path.Combine(_temp.Path, $"pre-{cut}");
            Directory.CreateDirectory(dir);
            byte[] torn = new byte[(int)last.Offset + frame + zeros];
            whole.AsSpan(0, (int)last.Offset + cut).CopyTo(torn);
            File.WriteAllBytes(AuditSamples.SegmentPath(dir, 1), torn);
            if (whole.AsSpan((int)last.Offset + cut, frame - cut).IndexOfAnyExcept((byte)0) < 0)
            {
                // The bytes not written were zeros anyway (the record ends in zero padding): the record is whole.
                Assert.True(AuditVerifier.Verify(dir).Intact, $"cut {cut}");
                Directory.Delete(dir, recursive: true);
                continue;
            }

            AuditProblem? problem = AuditVerifier.Verify(dir).Problem;
            Assert.True(problem is { Kind: AuditProblemKind.TornTail }, $"cut {cut}: {problem}");
            Assert.Equal(last.Offset, problem!.Offset);
            using (var log = AuditLog.Open(AuditSamples.Options(dir)))
            {
                Assert.True(log.Recovery.TornTail, $"cut {cut}: torn tail not reported");
                Assert.Equal(last.Number - 1, log.Recovery.LastRecordNumber);
                Assert.Equal(last.Number, log.AppendDecision(AuditSamples.Event(99), AuditSamples.DecisionFor(99), AuditSamples.Model));
            }
            AuditVerifyReport after = AuditVerifier.Verify(dir);
            Assert.True(after.Intact, $"cut {cut}: {after.Problem}");
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Damage_followed_by_records_in_the_preallocated_segment_is_corruption_not_a_torn_tail()
    {
        string dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(dir), 8);
        List<AuditRecord> records = AuditSamples.ReadAll(dir);
        string path = AuditSamples.SegmentPath(dir, 1);
        byte[] bytes = File.ReadAllBytes(path);
        // Zero a record in the middle (a lost page): the zeros are followed by intact records, so they are not the end.
        Array.Clear(bytes, (int)records[3].Offset, AuditSamples.FrameLength(bytes, records[3].Offset));
        byte[] padded = new byte[bytes.Length + 4096];
        bytes.CopyTo(padded, 0);
        File.WriteAllBytes(path, padded);
        Assert.Equal(AuditProblemKind.BadRecordHeader, AuditVerifier.Verify(dir).Problem!.Kind);
        var e = Assert.Throws<AuditLogException>(() => AuditLog.Open(AuditSamples.Options(dir)));
        Assert.Equal(AuditErrorCode.Corrupt, e.Code);
        Assert.Equal(records[3].Offset, e.Problem!.Offset);
        Assert.Equal(padded.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void Appends_overwrite_preallocated_zeros_and_closed_segments_end_at_their_checkpoint()
    {
        string dir = _temp.Path;
        var options = AuditSamples.Options(dir, segmentBytes: 3L << 20);
        string first = AuditSamples.SegmentPath(dir, 1);
        using (var log = AuditLog.Open(options))
        {
            long chunk = AuditFormat.HeaderLength + AuditFormat.PreallocationBytes;
            Assert.Equal(chunk, new FileInfo(first).Length); // created with one chunk of zeros
            AuditSamples.Append(log, 0, 100);
            Assert.Equal(chunk, new FileInfo(first).Length); // appends did not grow the file
            int i = 100;
            while (log.CurrentSegment == 1 && new FileInfo(first).Length == chunk) AuditSamples.Append(log, i++, 1);
            Assert.Equal(chunk + AuditFormat.PreallocationBytes, new FileInfo(first).Length); // the next chunk, once
            Assert.True(AuditVerifier.Verify(dir).Intact); // a live log: the zeros after the last record are its end
            while (log.CurrentSegment == 1) AuditSamples.Append(log, i++, 1);
        }
        List<AuditRecord> records = AuditSamples.ReadAll(dir);
        AuditRecord checkpoint = records.FindLast(r => r.Segment == 1);
        Assert.Equal(AuditRecordType.Checkpoint, checkpoint.Type);
        Assert.Equal(checkpoint.Offset + AuditFormat.CheckpointFrameLength, new FileInfo(first).Length);
        Assert.True(new FileInfo(first).Length <= options.SegmentBytes);
        AuditRecord newest = records[^1];
        Assert.Equal(newest.Offset + AuditSamples.FrameLength(File.ReadAllBytes(AuditSamples.SegmentPath(dir, 2)), newest.Offset),
            new FileInfo(AuditSamples.SegmentPath(dir, 2)).Length);
        Assert.True(AuditVerifier.Verify(dir).Intact);
    }

    [Fact]
    public void A_crash_between_the_checkpoint_and_the_trim_is_finished_on_open()
    {
        string dir = _temp.Path;
        CloseTheFirstSegmentAndLoseItsSuccessor(dir);
        string path = AuditSamples.SegmentPath(dir, 1);
        long closed = new FileInfo(path).Length;
        using (var f = File.OpenWrite(path)) f.SetLength(closed + 4096); // the checkpoint is in, the zeros are still there
        using (var log = AuditLog.Open(AuditSamples.Options(dir)))
        {
            Assert.True(log.Recovery.StartedNewSegment);
            Assert.Equal(closed, new FileInfo(path).Length);
            log.AppendOutcome(AuditSamples.Notice(1), ValidationErrorCode.None);
        }
        Assert.True(AuditVerifier.Verify(dir).Intact);
    }

    [Fact]
    public void A_damaged_record_in_the_middle_refuses_the_open_with_its_location()
    {
        string dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(dir), 10);
        AuditRecord victim = AuditSamples.ReadAll(dir)[4];
        string path = AuditSamples.SegmentPath(dir, 1);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[victim.Offset + 60] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        long before = bytes.Length;
        var e = Assert.Throws<AuditLogException>(() => AuditLog.Open(AuditSamples.Options(dir)));
        Assert.Equal(AuditErrorCode.Corrupt, e.Code);
        Assert.Equal(AuditProblemKind.BadCrc, e.Problem!.Kind);
        Assert.Equal(victim.Offset, e.Problem.Offset);
        Assert.Equal(victim.Number, e.Problem.RecordNumber);
        Assert.Equal(before, new FileInfo(path).Length); // nothing was cut or appended
    }

    [Fact]
    public void A_segment_whose_creation_was_interrupted_is_deleted_and_recreated()
    {
        string dir = _temp.Path;
        AuditSamples.Write(AuditSamples.Options(dir, segmentBytes: 4096), 20);
        uint newest = AuditFormat.ListSegments(dir)[^1];
        var records = AuditSamples.ReadAll(dir);
        // Drop the newest segment and replace it by a half-written header, as a crash during rotation leaves it.
        File.Delete(AuditSamples.SegmentPath(dir, newest));
        File.WriteAllBytes(AuditSamples.SegmentPath(dir, newest), new byte[20]);
        AuditProblem p = AuditVerifier.Verify(dir).Problem!;
        Assert.Equal(AuditProblemKind.TornTail, p.Kind);
        Assert.Equal(0, p.Offset);
        using (var log = AuditLog.Open(AuditSamples.Options(dir, segmentBytes: 4096)))
        {
            Assert.True(log.Recovery.IncompleteSegmentDeleted);
            Assert.True(log.Recovery.StartedNewSegment); // the segment before it was closed by its checkpoint
            Assert.Equal(newest, log.CurrentSegment);
            ulong lastBefore = records.FindLast(r => r.Segment < newest).Number;
            Assert.Equal(lastBefore, log.LastRecordNumber);
            log.AppendOutcome(AuditSamples.Notice(1), ValidationErrorCode.None);
        }
        Assert.True(AuditVerifier.Verify(dir).Intact);
    }

    [Fact]
    public void A_closed_newest_segment_gets_a_successor_on_open()
    {
        string dir = _temp.Path;
        CloseTheFirstSegmentAndLoseItsSuccessor(dir);
        using (var log = AuditLog.Open(AuditSamples.Options(dir)))
        {
            Assert.True(log.Recovery.StartedNewSegment);
            Assert.Equal(2u, log.CurrentSegment);
            Assert.Equal(7ul, log.AppendOutcome(AuditSamples.Notice(1), ValidationErrorCode.None));
        }
        Assert.True(AuditVerifier.Verify(dir).Intact);
    }

    [Fact]
    public void A_deletion_interrupted_after_its_gap_record_is_completed_on_open()
    {
        string saved = Path.Combine(_temp.Path, "saved");
        var options = AuditSamples.Options(Path.Combine(_temp.Path, "log"), segmentBytes: 2048, maxTotalBytes: 4096);
        using (var log = AuditLog.Open(options))
        {
            for (int i = 0; i < 30; i++)
            {
                AuditSamples.Append(log, i, 1);
                AuditSamples.CopySegments(options.Directory, saved); // closed segments keep their final bytes here
            }
        }
        // Every rotation here deletes (the total holds two segments), so the newest segment starts with a Gap.
        List<AuditRecord> records = AuditSamples.ReadAll(options.Directory);
        uint newest = AuditFormat.ListSegments(options.Directory)[^1];
        AuditRecord gapRecord = records.Find(r => r.Segment == newest);
        Assert.Equal(AuditRecordType.Gap, gapRecord.Type);
        AuditGap gap = gapRecord.Gap;
        // Put the announced segments back, as if the crash had come between the fsynced Gap and the unlink.
        for (uint s = gap.FirstSegment; s <= gap.LastSegment; s++)
            File.Copy(AuditSamples.SegmentPath(saved, s), AuditSamples.SegmentPath(options.Directory, s));

        AuditVerifyReport interrupted = AuditVerifier.Verify(options.Directory);
        Assert.True(interrupted.Intact, interrupted.Problem?.ToString());
        Assert.True(interrupted.InterruptedDeletion);
        Assert.Equal(gap.FirstSegment, interrupted.FirstSegment);
        using (var log = AuditLog.Open(options))
            Assert.Equal((int)(gap.LastSegment - gap.FirstSegment + 1), log.Recovery.InterruptedDeletionsCompleted);
        AuditVerifyReport after = AuditVerifier.Verify(options.Directory);
        Assert.True(after.Intact, after.Problem?.ToString());
        Assert.False(after.InterruptedDeletion);
        Assert.Equal(gap.LastSegment + 1, after.FirstSegment);
        Assert.Equal(gap, after.StartGap);
    }

    [Fact]
    public void A_second_writer_on_the_same_folder_is_refused()
    {
        using var first = AuditLog.Open(AuditSamples.Options(_temp.Path));
        var e = Assert.Throws<AuditLogException>(() => AuditLog.Open(AuditSamples.Options(_temp.Path)));
        Assert.Equal(AuditErrorCode.DirectoryInUse, e.Code);
    }

    [Fact]
    public void Impossible_options_are_refused()
    {
        Assert.Equal(AuditErrorCode.InvalidOptions, Assert.Throws<AuditLogException>(() =>
            AuditLog.Open(AuditSamples.Options(_temp.Path, segmentBytes: 100))).Code);
        Assert.Equal(AuditErrorCode.InvalidOptions, Assert.Throws<AuditLogException>(() =>
            AuditLog.Open(AuditSamples.Options(_temp.Path, segmentBytes: 8192, maxTotalBytes: 10_000))).Code);
    }

    /// <summary>Five records, segment 1 closed by its checkpoint, segment 2 deleted: as if the crash came right after the checkpoint.</summary>
    private static void CloseTheFirstSegmentAndLoseItsSuccessor(string dir)
    {
        using (var log = AuditLog.Open(AuditSamples.Options(dir)))
        {
            AuditSamples.Append(log, 0, 5);
            log.CloseSegment();
            Assert.Equal(2u, log.CurrentSegment);
        }
        File.Delete(AuditSamples.SegmentPath(dir, 2));
    }
}
