using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Storage;

namespace FraudEdge.Core.Audit;

public sealed partial class AuditLog
{
    /// <summary>
    /// Closes the current segment (checkpoint, fsync) and starts the next one. Rare (once per segment_bytes), so
    /// it may allocate: file names, handles, the signature.
    /// </summary>
    private void Rotate()
    {
        try
        {
            WriteCheckpoint();
            TrimPreallocation();
            FlushSegment(); // a closed segment is durable whatever the durability mode (its new size too)
            _segments[^1] = _segments[^1] with { Length = _position };
            _segmentHandle!.Dispose();
            _segmentHandle = null;
            StartNextSegment();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not AuditLogException)
        {
            Fail("rotating to a new segment", e);
        }
    }

    private void WriteCheckpoint()
    {
        uint segment = _header.Segment;
        ulong first = _header.FirstRecord;
        ulong last = _next - 1;
        AuditHash head = _head;
        Span<byte> signature = stackalloc byte[AuditFormat.MaxSignatureLength];
        int signatureLength = 0;
        if (_signer is not null)
        {
            Span<byte> signed = stackalloc byte[AuditFormat.CheckpointSignatureDomain.Length + AuditFormat.CheckpointSignedLength];
            int n = AuditCheckpoint.WriteSignedBytes(signed, segment, first, last, head);
            signatureLength = _signer.Sign(signed[..n], signature);
        }
        var w = new LayoutWriter(_controlFrame.AsSpan(PayloadOffset));
        AuditCheckpoint.Write(ref w, segment, first, last, head, _signer is null ? default : _signer.KeyIdBytes, signature[..signatureLength]);
        Commit(_controlFrame, AuditRecordType.Checkpoint, w.Offset, allowRotation: false);
        CoreLog.AuditSegmentClosed(_logger, AuditFormat.SegmentFileName(segment), first, last, _signer?.KeyId ?? "unsigned");
    }

    /// <summary>
    /// Starts segment (newest + 1). When the folder would then exceed max_total_bytes, the oldest segments go:
    /// first a Gap record naming them is written and fsynced in the new segment, then the files are deleted, so a
    /// crash in between leaves an announced deletion that the next open completes, never an unexplained hole.
    /// </summary>
    private void StartNextSegment()
    {
        long total = 0;
        foreach (SegmentEntry s in _segments) total += s.Length;
        int delete = 0;
        while (delete < _segments.Count - 1 && total + _options.SegmentBytes > _options.MaxTotalBytes)
        {
            total -= _segments[delete].Length;
            delete++;
        }

        CreateSegment(_segments[^1].Number + 1, _next, _head);
        if (delete == 0) return;

        SegmentEntry firstGone = _segments[0];
        SegmentEntry firstKept = _segments[delete];
        var gap = new AuditGap(firstGone.Number, _segments[delete - 1].Number, firstGone.FirstRecord, firstKept.FirstRecord - 1, firstKept.PreviousHash);
        var w = new LayoutWriter(_controlFrame.AsSpan(PayloadOffset));
        AuditGap.Write(ref w, gap);
        Commit(_controlFrame, AuditRecordType.Gap, w.Offset, allowRotation: false);
        FlushSegment();
        for (int i = 0; i < delete; i++) File.Delete(SegmentPath(_segments[i].Number));
        DurableFile.FsyncDirectory(_directory);
        _segments.RemoveRange(0, delete);
        CoreLog.AuditSegmentsDeleted(_logger, gap.FirstSegment, gap.LastSegment, gap.FirstRecord, gap.LastRecord);
    }

    /// <summary>Creates a segment file with its header, durable (file and directory entry) before any record goes in.</summary>
    private void CreateSegment(uint number, ulong firstRecord, AuditHash previous)
    {
        var header = new AuditSegmentHeader(number, firstRecord, _time.GetUtcNow().ToUnixTimeMilliseconds(), previous);
        Span<byte> bytes = stackalloc byte[AuditFormat.HeaderLength];
        header.Write(bytes);
        var handle = File.OpenHandle(SegmentPath(number), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            // The header is durable before the zeros follow it: a crash while preallocating leaves a valid, empty segment.
            RandomAccess.Write(handle, bytes, 0);
            RandomAccess.FlushToDisk(handle);
            DurableFile.FsyncDirectory(_directory);
            _segmentHandle = handle;
            _position = _allocated = AuditFormat.HeaderLength;
            if (_options.Preallocate) Preallocate(AuditFormat.HeaderLength);
        }
        catch
        {
            _segmentHandle = null;
            handle.Dispose();
            throw;
        }
        _header = header;
        _segments.Add(new SegmentEntry(number, firstRecord, previous, AuditFormat.HeaderLength));
    }
}
