using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.Audit;

public sealed partial class AuditLog
{
    /// <summary>A segment on disk as rotation needs to know it (from its header and size).</summary>
    private readonly record struct SegmentEntry(uint Number, ulong FirstRecord, AuditHash PreviousHash, long Length);

    /// <summary>Segments on disk, oldest first; the last is the one appended to.</summary>
    private readonly List<SegmentEntry> _segments = [];

    /// <summary>
    /// Scans the newest segment only (start-up time must not grow with the log): a torn tail is truncated to the
    /// last whole record and reported; anything else wrong refuses the open, because appending after corruption
    /// would bury it. Older segments are verify's business.
    /// </summary>
    private AuditRecovery Recover()
    {
        List<uint> present = AuditFormat.ListSegments(_directory);
        var recovery = new AuditRecovery();
        while (true)
        {
            if (present.Count == 0)
            {
                CreateSegment(1, 1, AuditHash.Zero);
                return recovery with { CreatedNew = true, Segment = 1, LastRecordNumber = 0 };
            }

            uint newest = present[^1];
            string path = SegmentPath(newest);
            AuditGap? gap = null;
            bool first = true;
            AuditReadResult result;
            AuditSegmentHeader header;
            ulong next;
            AuditHash head;
            bool closed;
            long end;
            using (var reader = new AuditReader(_directory, newest, decodePayloads: false))
            {
                while ((result = reader.Read(out AuditRecord record)) == AuditReadResult.Record)
                {
                    if (first && record.Type == AuditRecordType.Gap) gap = record.Gap;
                    first = false;
                }
                header = reader.CurrentHeader;
                next = reader.NextRecordNumber;
                head = reader.HeadHash;
                closed = reader.SegmentClosed;
                end = reader.Position;
                if (result == AuditReadResult.Problem)
                {
                    AuditProblem problem = reader.Problem!;
                    if (problem.Kind != AuditProblemKind.TornTail)
                    {
                        CoreLog.AuditCorrupt(_logger, problem.SegmentFile, problem.Offset, problem.RecordNumber, problem.Kind.ToString(), problem.Message);
                        throw new AuditLogException(AuditErrorCode.Corrupt,
                            $"{problem}. Refusing to append after it: run `fraudedge verify {_directory}` (docs/audit-log.md, \"Recovery\")", problem);
                    }
                    long length = new FileInfo(path).Length;
                    if (problem.Offset < AuditFormat.HeaderLength)
                    {
                        // The crash came while the segment was being created: nothing in it was ever acknowledged.
                        if (present.Count == 1 && newest != 1)
                            throw new AuditLogException(AuditErrorCode.Corrupt,
                                $"{problem}. It is the only segment and not the first, so the chain before it is unknown", problem);
                        File.Delete(path);
                        DurableFile.FsyncDirectory(_directory);
                        present.RemoveAt(present.Count - 1);
                        CoreLog.AuditTornTail(_logger, problem.SegmentFile, problem.Offset, length, problem.RecordNumber, problem.Message);
                        recovery = recovery with { TornTail = true, TornTailProblem = problem, TornBytes = length, IncompleteSegmentDeleted = true };
                        continue;
                    }
                    using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
                    {
                        RandomAccess.SetLength(handle, problem.Offset);
                        RandomAccess.FlushToDisk(handle);
                    }
                    end = problem.Offset;
                    CoreLog.AuditTornTail(_logger, problem.SegmentFile, problem.Offset, length - problem.Offset, problem.RecordNumber, problem.Message);
                    recovery = recovery with { TornTail = true, TornTailProblem = problem, TornBytes = length - problem.Offset };
                }
            }

            // A Gap record is made durable before the segments it announces are deleted; a crash in between
            // leaves them on disk. Finish the deletion it promised.
            int completed = 0;
            if (gap is { } g)
            {
                foreach (uint n in present)
                {
                    if (n != newest && n >= g.FirstSegment && n <= g.LastSegment)
                    {
                        File.Delete(SegmentPath(n));
                        completed++;
                    }
                }
                if (completed > 0)
                {
                    present.RemoveAll(n => n != newest && n >= g.FirstSegment && n <= g.LastSegment);
                    DurableFile.FsyncDirectory(_directory);
                }
            }

            _segments.Clear();
            foreach (uint n in present)
            {
                if (n != newest) _segments.Add(ReadEntry(n));
            }
            _segments.Add(new SegmentEntry(newest, header.FirstRecord, header.PreviousHash, end));
            _header = header;
            _position = end;
            _next = next;
            _head = head;
            _durable = (long)(next - 1);
            recovery = recovery with { InterruptedDeletionsCompleted = completed };
            if (closed)
            {
                TrimClosedSegment(path, end); // a crash between the checkpoint and the trim left zeros after it
                StartNextSegment(); // the newest segment already ends with its checkpoint
                recovery = recovery with { StartedNewSegment = true };
            }
            else
            {
                _segmentHandle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
                _allocated = RandomAccess.GetLength(_segmentHandle); // zeros past _position are reused as they are
            }
            return recovery with { Segment = _header.Segment, LastRecordNumber = _next - 1 };
        }
    }

    private static void TrimClosedSegment(string path, long end)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (RandomAccess.GetLength(handle) <= end) return;
        RandomAccess.SetLength(handle, end);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Header fields and size of an older segment; an unreadable header gives zeros (verify reports it).</summary>
    private SegmentEntry ReadEntry(uint segment) =>
        AuditSegmentHeader.TryReadFile(SegmentPath(segment), out AuditSegmentHeader header, out long length) is null
            ? new SegmentEntry(segment, header.FirstRecord, header.PreviousHash, length)
            : new SegmentEntry(segment, 0, AuditHash.Zero, length);
}
