using System.Diagnostics;
using System.Globalization;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// `fraudedge verify`: reads a whole audit folder with <see cref="AuditReader"/> (every CRC, record number and
/// chain link, across segments), checks each checkpoint against its segment and, given trusted keys, its
/// signature; and checks that the log's start is either the first record ever or explained by a Gap record.
/// Reports the first problem precisely. Never throws for bad bytes.
/// </summary>
public static class AuditVerifier
{
    /// <param name="trustedKeys">Public keys checkpoints must be signed with; null: signatures are counted, not checked.</param>
    /// <param name="maxParallelism">Segments checked at once (default: one per core). Each segment's records are
    /// checked against its own header; the headers are then checked against each other in order, so the result,
    /// and the first problem reported, are those of one sequential pass.</param>
    public static AuditVerifyReport Verify(string directory, TrustedKeys? trustedKeys = null, int maxParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"audit directory '{directory}' does not exist");
        var clock = Stopwatch.StartNew();
        List<uint> segments = AuditFormat.ListSegments(directory);
        var results = new SegmentResult[segments.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.For(0, segments.Count, parallel, i => results[i] = Scan(directory, segments[i], newest: i == segments.Count - 1));

        AuditProblem? problem = segments.Count == 0
            ? new AuditProblem(AuditProblemKind.NoSegments, "", 0, 0, 0, $"no audit-NNNNNNNN.log segment in {directory}")
            : null;
        long records = 0, decisions = 0, outcomes = 0, models = 0, bytes = 0;
        ulong first = 0, last = 0, lastCheckpointed = 0;
        int checkpoints = 0, signed = 0;
        var keyIds = new List<string>();
        var gaps = new List<AuditGap>();
        var closes = new Dictionary<uint, AuditCheckpoint>();
        for (int i = 0; i < results.Length && problem is null; i++)
        {
            SegmentResult r = results[i];
            bytes += r.Bytes;
            if (i > 0 && (problem = Link(segments[i - 1], results[i - 1], segments[i], r)) is not null) break;
            if (r.Header is null)
            {
                problem = r.Problem;
                break;
            }
            if (records == 0 && r.Records > 0) first = r.FirstRecord;
            if (r.Records > 0) last = r.LastRecord;
            records += r.Records;
            decisions += r.Decisions;
            outcomes += r.Outcomes;
            models += r.ModelLoads;
            gaps.AddRange(r.Gaps);
            if (r.Checkpoint is { } checkpoint)
            {
                checkpoints++;
                lastCheckpointed = checkpoint.Record.Number;
                closes[checkpoint.Checkpoint.Segment] = checkpoint.Checkpoint;
                if (checkpoint.Checkpoint.IsSigned)
                {
                    signed++;
                    if (!keyIds.Contains(checkpoint.Checkpoint.SigningKeyId)) keyIds.Add(checkpoint.Checkpoint.SigningKeyId);
                }
                if ((problem = CheckSignature(checkpoint.Checkpoint, checkpoint.Record, trustedKeys)) is not null) break;
            }
            problem = r.Problem;
        }

        AuditSegmentHeader? start = results.Length > 0 ? results[0].Header : null;
        AuditGap? startGap = null;
        bool interrupted = false;
        if (start is { } oldest)
        {
            foreach (AuditGap g in gaps) interrupted |= g.LastSegment >= oldest.Segment;
            if (problem is null && !oldest.IsGenesis) problem = ExplainStart(oldest, gaps, closes, out startGap);
        }

        clock.Stop();
        return new AuditVerifyReport
        {
            Directory = Path.GetFullPath(directory), Problem = problem, Segments = segments.Count,
            FirstSegment = segments.Count > 0 ? segments[0] : 0, LastSegment = segments.Count > 0 ? segments[^1] : 0,
            Records = records, FirstRecord = first, LastRecord = last, Decisions = decisions, Outcomes = outcomes, ModelLoads = models,
            Bytes = bytes, Elapsed = clock.Elapsed, Checkpoints = checkpoints, SignedCheckpoints = signed,
            SignaturesChecked = trustedKeys is not null, CheckpointKeyIds = keyIds,
            RecordsAfterLastCheckpoint = records == 0 ? 0 : (long)(last - Math.Max(lastCheckpointed, first - 1)),
            StartsAtGenesis = start?.IsGenesis ?? false, Gaps = gaps, StartGap = startGap, InterruptedDeletion = interrupted,
        };
    }

    /// <summary>What one segment holds, checked against its own header (run in parallel with the others).</summary>
    private sealed class SegmentResult
    {
        public AuditSegmentHeader? Header;
        public AuditProblem? Problem;
        public ulong Next;
        public AuditHash Head;
        public long Records, Decisions, Outcomes, ModelLoads, Bytes;
        public ulong FirstRecord, LastRecord;
        public List<AuditGap> Gaps = [];
        public (AuditCheckpoint Checkpoint, AuditRecord Record)? Checkpoint;
    }

    private static SegmentResult Scan(string directory, uint segment, bool newest)
    {
        var result = new SegmentResult();
        using var reader = new AuditReader(directory, segment, decodePayloads: false, lastIsNewest: newest);
        while (true)
        {
            AuditReadResult read = reader.Read(out AuditRecord record);
            if (read != AuditReadResult.Record)
            {
                result.Problem = reader.Problem;
                break;
            }
            if (result.Records == 0) result.FirstRecord = record.Number;
            result.LastRecord = record.Number;
            result.Records++;
            switch (record.Type)
            {
                case AuditRecordType.Decision: result.Decisions++; break;
                case AuditRecordType.Outcome: result.Outcomes++; break;
                case AuditRecordType.ModelLoaded: result.ModelLoads++; break;
                case AuditRecordType.Gap: result.Gaps.Add(record.Gap); break;
                case AuditRecordType.Checkpoint: result.Checkpoint = (record.Checkpoint!, record with { Checkpoint = null }); break;
            }
        }
        result.Header = reader.FirstHeader;
        result.Next = reader.NextRecordNumber;
        result.Head = reader.HeadHash;
        result.Bytes = reader.BytesRead;
        return result;
    }

    /// <summary>The checks a sequential pass makes where one segment meets the next: numbering, first record, chain.</summary>
    private static AuditProblem? Link(uint previousNumber, SegmentResult previous, uint number, SegmentResult current)
    {
        string file = AuditFormat.SegmentFileName(number);
        if (number != previousNumber + 1)
            return new AuditProblem(AuditProblemKind.MissingSegment, file, number, 0, previous.Next, string.Create(CultureInfo.InvariantCulture,
                $"segment{(number - previousNumber > 2 ? "s" : "")} {previousNumber + 1}..{number - 1} missing between {AuditFormat.SegmentFileName(previousNumber)} and this one"));
        if (current.Header is not { } header) return null; // its own header problem is reported next
        if (header.FirstRecord != previous.Next)
            return new AuditProblem(AuditProblemKind.NonConsecutiveRecordNumber, file, number, 0, previous.Next,
                $"the header says the segment starts at record {header.FirstRecord}, the previous segment ended before {previous.Next}");
        if (header.PreviousHash != previous.Head)
            return new AuditProblem(AuditProblemKind.BrokenChain, file, number, 0, previous.Next,
                $"the header's previous-hash {header.PreviousHash} is not the previous segment's last record ({previous.Head})");
        return null;
    }

    private static AuditProblem? CheckSignature(AuditCheckpoint checkpoint, AuditRecord record, TrustedKeys? trustedKeys)
    {
        if (trustedKeys is null) return null;
        string file = AuditFormat.SegmentFileName(record.Segment);
        if (!checkpoint.IsSigned)
            return new AuditProblem(AuditProblemKind.UnsignedCheckpoint, file, record.Segment, record.Offset, record.Number,
                "the checkpoint is unsigned, but trusted keys were given: a log rewritten by someone without the key would look like this");
        string? signer = trustedKeys.FindSigner(checkpoint.SignedBytes(), checkpoint.Signature);
        if (signer is null)
            return new AuditProblem(AuditProblemKind.BadCheckpointSignature, file, record.Segment, record.Offset, record.Number,
                $"the signature does not verify with any trusted key (the checkpoint names key {checkpoint.SigningKeyId}; trusted: {string.Join(", ", trustedKeys.KeyIds)})");
        if (!string.Equals(signer, checkpoint.SigningKeyId, StringComparison.OrdinalIgnoreCase))
            return new AuditProblem(AuditProblemKind.BadCheckpointSignature, file, record.Segment, record.Offset, record.Number,
                $"the signature verifies with trusted key {signer} but the checkpoint names key {checkpoint.SigningKeyId}");
        return null;
    }

    /// <summary>
    /// A log that does not start at record 1 must say why: a Gap record (written, and fsynced, before rotation
    /// deleted anything) whose range ends just before the oldest segment and whose last hash is that segment's
    /// previous-hash. Deleting old segments by hand, or a whole prefix, is therefore reported.
    /// </summary>
    private static AuditProblem? ExplainStart(AuditSegmentHeader start, List<AuditGap> gaps, Dictionary<uint, AuditCheckpoint> closes,
        out AuditGap? explained)
    {
        explained = null;
        string file = AuditFormat.SegmentFileName(start.Segment);
        for (int i = gaps.Count - 1; i >= 0; i--)
        {
            AuditGap g = gaps[i];
            if (g.LastSegment + 1 == start.Segment)
            {
                if (g.LastRecord + 1 != start.FirstRecord || g.LastHash != start.PreviousHash)
                    return new AuditProblem(AuditProblemKind.BrokenChain, file, start.Segment, 0, start.FirstRecord, string.Create(CultureInfo.InvariantCulture,
                        $"the Gap record for segments {g.FirstSegment}..{g.LastSegment} ends at record {g.LastRecord} with hash {g.LastHash}, but this segment starts at record {start.FirstRecord} after hash {start.PreviousHash}"));
                explained = g;
                return null;
            }
            if (g.FirstSegment < start.Segment && start.Segment <= g.LastSegment)
            {
                // Rotation wrote the Gap, then a crash stopped the deletion part-way: the rest of the announced
                // segments are still here, so their end must match what the Gap says was deleted. (When none was
                // deleted yet, the oldest segment is explained like any other, by the Gap before.)
                if (closes.TryGetValue(g.LastSegment, out AuditCheckpoint? close) && (close.LastRecord != g.LastRecord || close.HeadHash != g.LastHash))
                    return new AuditProblem(AuditProblemKind.BrokenChain, AuditFormat.SegmentFileName(g.LastSegment), g.LastSegment, 0, g.LastRecord,
                        $"a Gap record announces the deletion of segments {g.FirstSegment}..{g.LastSegment} ending at record {g.LastRecord}, which does not match that segment's checkpoint");
                explained = g;
                return null;
            }
        }
        return new AuditProblem(AuditProblemKind.MissingSegment, file, start.Segment, 0, start.FirstRecord, string.Create(CultureInfo.InvariantCulture,
            $"the log starts at segment {start.Segment}, record {start.FirstRecord}, and no Gap record explains what came before: segments were deleted outside rotation"));
    }
}
