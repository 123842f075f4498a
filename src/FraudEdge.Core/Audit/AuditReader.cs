using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Storage;
using Microsoft.Win32.SafeHandles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Reads an audit folder's records in order across its segments, checking as it goes everything a record can be
/// checked against on its own and against its predecessor: segment headers and numbering, each record's length,
/// CRC-32C, layout, number (consecutive) and previous-hash (the chain), and that each segment but the newest is
/// closed by a checkpoint that describes it. The log is untrusted input: the first problem stops the reader and
/// is described precisely in <see cref="Problem"/> (nothing is thrown for bad bytes). Signatures and the
/// explanation of the log's start are <see cref="AuditVerifier"/>'s job.
/// Reads 1 MiB at a time into one buffer; decisions and outcomes are decoded into structs, texts are cached, so
/// reading allocates little beyond the buffer.
/// </summary>
public sealed class AuditReader : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly string _directory;
    private readonly List<uint> _segments;
    private readonly bool _decodePayloads;
    private readonly bool _lastIsNewest;
    private byte[] _buffer = [];
    private readonly AuditTextCache _versions = new();
    private readonly AuditTextCache _tokenizers = new();
    private int _index = -1;
    private SafeFileHandle? _handle;
    private long _length;
    private long _bufferFileOffset;
    private int _start, _end;
    private AuditSegmentHeader _header;
    private bool _closed;
    private bool _started;
    private bool _done;
    private ulong _next;
    private AuditHash _head;

    /// <summary>Reads every segment in <paramref name="directory"/>, oldest first.</summary>
    public AuditReader(string directory) : this(directory, onlySegment: null, decodePayloads: true)
    {
    }

    /// <param name="onlySegment">Read just this segment (recovery scans the newest one only).</param>
    /// <param name="decodePayloads">False: decode only what checks need (checkpoints, gaps); verify is faster so.</param>
    /// <param name="lastIsNewest">False when <paramref name="onlySegment"/> is followed by newer segments (verify
    /// checks segments in parallel): then it must end with a checkpoint and cannot have a torn tail.</param>
    internal AuditReader(string directory, uint? onlySegment, bool decodePayloads, bool lastIsNewest = true)
    {
        _directory = directory;
        _decodePayloads = decodePayloads;
        _lastIsNewest = lastIsNewest;
        _segments = onlySegment is { } only ? [only] : AuditFormat.ListSegments(directory);
    }

    /// <summary>Segment numbers found, ascending.</summary>
    public IReadOnlyList<uint> Segments => _segments;

    /// <summary>Header of the oldest segment read (where the readable chain starts), once read.</summary>
    public AuditSegmentHeader? FirstHeader { get; private set; }

    /// <summary>Header of the segment being read.</summary>
    public AuditSegmentHeader CurrentHeader => _header;

    /// <summary>The first problem found; reading stops there.</summary>
    public AuditProblem? Problem { get; private set; }

    /// <summary>Bytes of segment files checked so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The number the next record must have.</summary>
    public ulong NextRecordNumber => _next;

    /// <summary>SHA-256 of the last good record (or the segment header's previous hash before any).</summary>
    public AuditHash HeadHash => _head;

    /// <summary>Offset just after the last good record in the current segment (where an append would go).</summary>
    internal long Position => _bufferFileOffset + _start;

    /// <summary>The current segment's checkpoint has been read.</summary>
    internal bool SegmentClosed => _closed;

    private bool IsNewest => _index == _segments.Count - 1 && _lastIsNewest;

    private string FileName => _index >= 0 && _index < _segments.Count ? AuditFormat.SegmentFileName(_segments[_index]) : "";

    /// <summary>Every record of <paramref name="directory"/>; throws <see cref="AuditLogException"/> at the first problem.</summary>
    public static IEnumerable<AuditRecord> ReadAll(string directory)
    {
        using var reader = new AuditReader(directory);
        while (true)
        {
            switch (reader.Read(out AuditRecord record))
            {
                case AuditReadResult.Record:
                    yield return record;
                    break;
                case AuditReadResult.End:
                    yield break;
                default:
                    throw new AuditLogException(AuditErrorCode.Corrupt, reader.Problem!.ToString(), reader.Problem);
            }
        }
    }

    // Fully optimized from the first call: a one-shot `fraudedge verify` spends its whole life in this loop and
    // would otherwise run much of it as tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AuditReadResult Read(out AuditRecord record)
    {
        record = default;
        while (true)
        {
            if (_done) return Problem is null ? AuditReadResult.End : AuditReadResult.Problem;
            if (_handle is null)
            {
                OpenNextSegment();
                continue;
            }

            long offset = Position;
            int have = Available(AuditFormat.FramePrefixLength);
            if (have == 0)
            {
                if (!IsNewest && !_closed)
                    return Fail(AuditProblemKind.MissingCheckpoint, offset, "segment ends without a checkpoint although a newer segment follows: it was cut");
                EndSegment();
                continue;
            }
            if (have < AuditFormat.FramePrefixLength)
                return Torn(offset, $"{have} bytes where an 8-byte record prefix begins");

            ReadOnlySpan<byte> bytes = _buffer.AsSpan(_start, have);
            if (IsNewest && BinaryPrimitives.ReadUInt64LittleEndian(bytes) == 0 && ZeroFrom(offset))
            {
                // The writer preallocates the newest segment with zeros: the records end where the zeros begin.
                EndSegment();
                continue;
            }
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            ushort complement = BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);
            if ((ushort)~length != complement)
            {
                // One pwrite of at most one frame was interrupted: damage within a frame's length of the last
                // record, then only zeros (or the end of the file), is a torn tail; damage followed by data is not.
                if (IsNewest && ZeroFrom(offset + AuditFormat.MaxFrameLength))
                    return Fail(AuditProblemKind.TornTail, offset, "the newest segment ends in a partly written record prefix followed by zero bytes: the record's write did not complete");
                return Fail(AuditProblemKind.BadRecordHeader, offset, $"record length 0x{length:x4} and its complement 0x{complement:x4} disagree");
            }
            if (length < AuditFormat.CommonLength || length > AuditFormat.MaxBodyLength)
                return Fail(AuditProblemKind.BadRecordHeader, offset, $"record length {length} is impossible (every record body is {AuditFormat.CommonLength}..{AuditFormat.MaxBodyLength} bytes)");

            int frame = AuditFormat.FramePrefixLength + length;
            have = Available(frame);
            if (have < frame)
                return Torn(offset, $"the record needs {frame} bytes but the file ends after {have}");

            ReadOnlySpan<byte> framed = _buffer.AsSpan(_start, frame);
            ReadOnlySpan<byte> body = framed[AuditFormat.FramePrefixLength..];
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(framed[4..]);
            uint computed = Crc32C.Update(0, body);
            if (stored != computed)
            {
                if (IsNewest && ZeroFrom(offset + frame))
                    return Fail(AuditProblemKind.TornTail, offset, $"the last record fails its CRC-32C (stored 0x{stored:x8}, computed 0x{computed:x8}): its write did not complete, or the bytes were damaged");
                return Fail(AuditProblemKind.BadCrc, offset, $"CRC-32C of the record body does not match (stored 0x{stored:x8}, computed 0x{computed:x8})");
            }

            byte type = body[0];
            int payloadLength = AuditFormat.PayloadLength(type);
            if (payloadLength < 0)
                return Fail(AuditProblemKind.BadRecordLayout, offset, $"unknown record type {type}");
            if (length != AuditFormat.CommonLength + payloadLength)
                return Fail(AuditProblemKind.BadRecordLayout, offset, $"a {(AuditRecordType)type} body is {AuditFormat.CommonLength + payloadLength} bytes, this one {length}");
            ulong number = BinaryPrimitives.ReadUInt64LittleEndian(body[1..]);
            if (number != _next)
                return Fail(AuditProblemKind.NonConsecutiveRecordNumber, offset, $"record number {number} where {_next} was expected: records were deleted, reordered or inserted");
            var previous = AuditHash.Read(body[17..]);
            if (previous != _head)
                return Fail(AuditProblemKind.BrokenChain, offset, $"previous-hash {previous} is not the SHA-256 of record {_next - 1} ({_head}): record {_next - 1} was changed after record {_next} was written (or this record's link was)");
            if (_closed)
                return Fail(AuditProblemKind.RecordAfterCheckpoint, offset, "a record follows the checkpoint that closed this segment");

            Span<byte> hash = stackalloc byte[AuditHash.Size];
            Sha256.HashData(body, hash);
            var r = new LayoutReader(body[AuditFormat.CommonLength..]);
            var result = new AuditRecord
            {
                Type = (AuditRecordType)type, Number = number, WrittenUtcMs = BinaryPrimitives.ReadInt64LittleEndian(body[9..]),
                PreviousHash = previous, Hash = AuditHash.Read(hash), Segment = _header.Segment, Offset = offset,
            };
            switch ((AuditRecordType)type)
            {
                case AuditRecordType.Checkpoint:
                    if (AuditCheckpoint.Read(ref r, out AuditCheckpoint checkpoint) is string error)
                        return Fail(AuditProblemKind.BadRecordLayout, offset, error);
                    if (checkpoint.Segment != _header.Segment || checkpoint.FirstRecord != _header.FirstRecord ||
                        checkpoint.LastRecord != number - 1 || checkpoint.HeadHash != previous)
                        return Fail(AuditProblemKind.CheckpointMismatch, offset, string.Create(CultureInfo.InvariantCulture,
                            $"checkpoint says segment {checkpoint.Segment}, records {checkpoint.FirstRecord}..{checkpoint.LastRecord}, head {checkpoint.HeadHash}; the segment is {_header.Segment}, records {_header.FirstRecord}..{number - 1}, head {previous}"));
                    _closed = true;
                    result = result with { Checkpoint = checkpoint };
                    break;
                case AuditRecordType.Gap:
                    result = result with { Gap = AuditGap.Read(ref r) };
                    break;
                case AuditRecordType.ModelLoaded when _decodePayloads:
                    result = result with { ModelLoaded = AuditModelLoaded.Read(ref r) };
                    break;
                case AuditRecordType.Decision when _decodePayloads:
                    result = result with { Decision = AuditDecision.Read(ref r, _versions, _tokenizers) };
                    break;
                case AuditRecordType.Outcome when _decodePayloads:
                    result = result with { Outcome = AuditOutcome.Read(ref r) };
                    break;
            }
            _head = result.Hash;
            _next++;
            _start += frame;
            record = result;
            return AuditReadResult.Record;
        }
    }

    private void OpenNextSegment()
    {
        _index++;
        if (_segments.Count == 0)
        {
            _done = true;
            Problem = new AuditProblem(AuditProblemKind.NoSegments, "", 0, 0, 0, $"no audit-NNNNNNNN.log segment in {_directory}");
            return;
        }
        if (_index >= _segments.Count)
        {
            _done = true;
            return;
        }
        uint number = _segments[_index];
        if (_index > 0 && number != _segments[_index - 1] + 1)
        {
            Fail(AuditProblemKind.MissingSegment, 0, string.Create(CultureInfo.InvariantCulture,
                $"segment{(number - _segments[_index - 1] > 2 ? "s" : "")} {_segments[_index - 1] + 1}..{number - 1} missing between {AuditFormat.SegmentFileName(_segments[_index - 1])} and this one"));
            return;
        }
        try
        {
            _handle = File.OpenHandle(Path.Combine(_directory, AuditFormat.SegmentFileName(number)), FileMode.Open, FileAccess.Read,
                FileShare.ReadWrite | FileShare.Delete);
            _length = RandomAccess.GetLength(_handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(AuditProblemKind.MissingSegment, 0, $"segment cannot be opened: {e.GetType().Name}");
            return;
        }
        // One buffer per reader, sized for the segments it meets (verify runs many readers at once).
        int wanted = (int)Math.Clamp(_length, 4096, BufferSize);
        if (_buffer.Length < wanted) _buffer = new byte[wanted];
        _bufferFileOffset = 0;
        _start = _end = 0;
        _closed = false;

        int have = Available(AuditFormat.HeaderLength);
        string? error = AuditSegmentHeader.TryRead(_buffer.AsSpan(_start, have), out AuditSegmentHeader header);
        if (error is not null)
        {
            // A crash between creating the newest segment and writing its header leaves nothing after the header:
            // that is a torn tail (recovery deletes the file). Anywhere else it is damage.
            if (IsNewest && _length <= AuditFormat.HeaderLength) Fail(AuditProblemKind.TornTail, 0, $"{error} ({_length} bytes): the segment's creation did not complete");
            else Fail(AuditProblemKind.BadSegmentHeader, 0, error);
            return;
        }
        if (header.Segment != number)
        {
            Fail(AuditProblemKind.BadSegmentHeader, 0, $"the header says segment {header.Segment}");
            return;
        }
        if (!_started)
        {
            _started = true;
            _next = header.FirstRecord;
            _head = header.PreviousHash;
            FirstHeader = header;
        }
        else if (header.FirstRecord != _next)
        {
            Fail(AuditProblemKind.NonConsecutiveRecordNumber, 0, $"the header says the segment starts at record {header.FirstRecord}, the previous segment ended before {_next}");
            return;
        }
        else if (header.PreviousHash != _head)
        {
            Fail(AuditProblemKind.BrokenChain, 0, $"the header's previous-hash {header.PreviousHash} is not the previous segment's last record ({_head})");
            return;
        }
        _header = header;
        _start += AuditFormat.HeaderLength;
    }

    private void EndSegment()
    {
        BytesRead += _length;
        _handle!.Dispose();
        _handle = null;
        if (IsNewest) _done = true;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available at _start when the file has them; returns how many are.</summary>
    private int Available(int count)
    {
        int have = _end - _start;
        if (have >= count) return have;
        long fileNext = _bufferFileOffset + _end;
        if (fileNext >= _length) return have;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, have);
            _bufferFileOffset += _start;
            _start = 0;
            _end = have;
        }
        while (_end < _buffer.Length && _bufferFileOffset + _end < _length)
        {
            int want = (int)Math.Min(_buffer.Length - _end, _length - (_bufferFileOffset + _end));
            int read = RandomAccess.Read(_handle!, _buffer.AsSpan(_end, want), _bufferFileOffset + _end);
            if (read <= 0)
            {
                _length = _bufferFileOffset + _end; // the file shrank under us: what we have is all there is
                break;
            }
            _end += read;
        }
        return _end - _start;
    }

    /// <summary>
    /// True when every byte of the current segment from <paramref name="fileOffset"/> to its end is zero (true
    /// past the end). Reads ahead with its own scratch buffer, so the reader's position does not move.
    /// </summary>
    private bool ZeroFrom(long fileOffset)
    {
        long buffered = _bufferFileOffset + _end;
        if (fileOffset < buffered)
        {
            int from = (int)Math.Max(0, fileOffset - _bufferFileOffset);
            if (_buffer.AsSpan(from, _end - from).IndexOfAnyExcept((byte)0) >= 0) return false;
            fileOffset = buffered;
        }
        if (fileOffset >= _length) return true;
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (fileOffset < _length)
            {
                int want = (int)Math.Min(scratch.Length, _length - fileOffset);
                int read = RandomAccess.Read(_handle!, scratch.AsSpan(0, want), fileOffset);
                if (read <= 0) return true; // the file shrank under us
                if (scratch.AsSpan(0, read).IndexOfAnyExcept((byte)0) >= 0) return false;
                fileOffset += read;
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private AuditReadResult Torn(long offset, string detail) => IsNewest
        ? Fail(AuditProblemKind.TornTail, offset, $"unfinished record at the end of the newest segment: {detail}")
        : Fail(AuditProblemKind.TruncatedSegment, offset, $"segment ends inside a record although a newer segment follows: {detail}");

    private AuditReadResult Fail(AuditProblemKind kind, long offset, string message)
    {
        Problem = new AuditProblem(kind, FileName, _index >= 0 && _index < _segments.Count ? _segments[_index] : 0, offset, _next, message);
        BytesRead += offset;
        _done = true;
        _handle?.Dispose();
        _handle = null;
        return AuditReadResult.Problem;
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
    }
}
