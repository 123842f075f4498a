using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// The append-only, hash-chained audit log (format: docs/audit-log.md). One writer per folder (audit.lock).
/// <see cref="Open"/> recovers: a torn tail is truncated and reported in <see cref="Recovery"/>; corruption
/// anywhere else in the newest segment refuses the open. Each append builds the record in a buffer allocated
/// once, CRCs and hashes it on spans and writes it with one pwrite, so appends allocate nothing; it returns the
/// record's number once the record is as durable as <see cref="AuditLogOptions.Durability"/> promises.
/// Thread-safe. A failed write stops the log: every later append throws (fail closed, no silent gap).
/// Partial files: .Recovery (open), .Rotation (checkpoints, new segments, gaps), .GroupCommit (background fsync).
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    private const int PayloadOffset = AuditFormat.FramePrefixLength + AuditFormat.CommonLength;

    private readonly Lock _lock = new();
    private readonly AuditLogOptions _options;
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SafeFileHandle _lockFile;
    private readonly byte[] _frame = new byte[AuditFormat.MaxFrameLength];
    private readonly byte[] _controlFrame = new byte[AuditFormat.MaxFrameLength];
    private CheckpointSigner? _signer;
    private SafeFileHandle? _segmentHandle;
    private AuditSegmentHeader _header;
    private long _position;
    private long _allocated; // the current segment's file length: records end at _position, zeros from there to here
    private ulong _next = 1;
    private AuditHash _head;
    private long _appended;
    private long _durable;
    private Exception? _failure;
    private bool _disposed;

    private AuditLog(AuditLogOptions options, ILogger logger, SafeFileHandle lockFile)
    {
        _options = options;
        _directory = Path.GetFullPath(options.Directory);
        _logger = logger;
        _time = options.TimeProvider ?? TimeProvider.System;
        _lockFile = lockFile;
    }

    /// <summary>Opens (creating when needed) the log in <see cref="AuditLogOptions.Directory"/>, recovering it first.</summary>
    /// <exception cref="AuditLogException">Corrupt newest segment, folder in use, impossible options.</exception>
    public static AuditLog Open(AuditLogOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string directory = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(directory);
        SafeFileHandle lockFile;
        try
        {
            // FileShare.None takes an exclusive flock(2): a second writer fails here instead of interleaving records.
            lockFile = File.OpenHandle(Path.Combine(directory, AuditFormat.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new AuditLogException(AuditErrorCode.DirectoryInUse, $"{directory} is in use by another audit writer", inner: e);
        }
        var log = new AuditLog(options, logger ?? NullLogger.Instance, lockFile);
        try
        {
            log._signer = CheckpointSigner.Create(options);
            log.Recovery = log.Recover();
            log.StartFlusher();
        }
        catch
        {
            log.Dispose();
            throw;
        }
        CoreLog.AuditOpened(log._logger, directory, log._header.Segment, log._next - 1, options.Durability.ToString(), log._signer?.KeyId ?? "none");
        return log;
    }

    /// <summary>What opening found and did (torn tail truncated, interrupted rotation completed, ...).</summary>
    public AuditRecovery Recovery { get; private set; } = new();

    public string Directory => _directory;

    /// <summary>Number of the last record appended (0 when the log is empty).</summary>
    public ulong LastRecordNumber
    {
        get
        {
            lock (_lock) return _next - 1;
        }
    }

    /// <summary>Highest record number known to be fsynced (equals <see cref="LastRecordNumber"/> under fsync-each-record).</summary>
    public ulong DurableRecordNumber => (ulong)Volatile.Read(ref _durable);

    /// <summary>Records appended by this instance (all types).</summary>
    public long RecordsAppended => Volatile.Read(ref _appended);

    /// <summary>The segment appended to now.</summary>
    public uint CurrentSegment
    {
        get
        {
            lock (_lock) return _header.Segment;
        }
    }

    /// <summary>SHA-256 of the last record: anchor it elsewhere (a server, a receipt) to make truncation detectable.</summary>
    public AuditHash HeadHash
    {
        get
        {
            lock (_lock) return _head;
        }
    }

    /// <summary>The last record's number and SHA-256 read together (0 and zero when the log is empty): the pair a back
    /// office, a receipt or a Z-report anchors so that `fraudedge verify --expect-head` can prove nothing was cut off.</summary>
    public (ulong Record, AuditHash Hash) Head
    {
        get
        {
            lock (_lock) return (_next - 1, _head);
        }
    }

    /// <summary>Id of the key that signs checkpoints, or null when they are unsigned.</summary>
    public string? CheckpointKeyId => _signer?.KeyId;

    /// <summary>Appends one decision (rejected events too) exactly as answered. Returns its record number.</summary>
    public ulong AppendDecision(in TransactionEvent evt, in Decision decision, AuditModelStamp model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_lock)
        {
            EnsureWritable();
            var w = new LayoutWriter(_frame.AsSpan(PayloadOffset));
            AuditDecision.Write(ref w, evt, decision, model);
            return Commit(_frame, AuditRecordType.Decision, w.Offset, allowRotation: true);
        }
    }

    /// <summary>Appends one outcome notice, with <see cref="ValidationErrorCode.None"/> when it was accepted.</summary>
    public ulong AppendOutcome(in OutcomeNotice notice, ValidationErrorCode rejection)
    {
        lock (_lock)
        {
            EnsureWritable();
            var w = new LayoutWriter(_frame.AsSpan(PayloadOffset));
            AuditOutcome.Write(ref w, notice, rejection);
            return Commit(_frame, AuditRecordType.Outcome, w.Offset, allowRotation: true);
        }
    }

    /// <summary>Records the model in force from now on (<see cref="AuditModelStamp.None"/>: rules only, with why).</summary>
    public ulong AppendModelLoaded(AuditModelChange change, AuditModelStamp model, BundleErrorCode? refusal = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_lock)
        {
            EnsureWritable();
            var w = new LayoutWriter(_frame.AsSpan(PayloadOffset));
            AuditModelLoaded.Write(ref w, change, model, refusal);
            return Commit(_frame, AuditRecordType.ModelLoaded, w.Offset, allowRotation: true);
        }
    }

    /// <summary>fsync now (group commit otherwise waits up to group_commit_ms).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            EnsureWritable();
            FlushSegment();
        }
    }

    /// <summary>
    /// Closes the current segment with a (signed) checkpoint and starts a new one, e.g. before the folder is
    /// collected, so every record so far is covered by a signature. No-op on an empty segment.
    /// </summary>
    public void CloseSegment()
    {
        lock (_lock)
        {
            EnsureWritable();
            if (_position > AuditFormat.HeaderLength) Rotate();
        }
    }

    /// <summary>Builds the common fields around a payload already in <paramref name="buffer"/>, then writes the frame.</summary>
    private ulong Commit(byte[] buffer, AuditRecordType type, int payloadLength, bool allowRotation)
    {
        int bodyLength = AuditFormat.CommonLength + payloadLength;
        int frameLength = AuditFormat.FramePrefixLength + bodyLength;
        // Room for this record and the checkpoint that will close the segment; a fresh segment always has it.
        if (allowRotation && _position > AuditFormat.HeaderLength &&
            _position + frameLength + AuditFormat.CheckpointFrameLength > _options.SegmentBytes)
        {
            Rotate();
        }

        Span<byte> frame = buffer.AsSpan(0, frameLength);
        Span<byte> body = frame[AuditFormat.FramePrefixLength..];
        var w = new LayoutWriter(body);
        w.U8((byte)type);
        w.U64(_next);
        w.I64(_time.GetUtcNow().ToUnixTimeMilliseconds());
        w.Hash(_head);
        BinaryPrimitives.WriteUInt16LittleEndian(frame, (ushort)bodyLength);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[2..], (ushort)~bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Crc32C.Update(0, body));
        Span<byte> hash = stackalloc byte[AuditHash.Size];
        Sha256.HashData(body, hash);

        WriteFrame(frame);
        _position += frameLength;
        _head = AuditHash.Read(hash);
        ulong number = _next++;
        _appended++;
        if (_options.Durability == AuditDurability.FsyncEachRecord) AdvanceDurable(number);
        else SignalDirty();
        return number;
    }

    private void WriteFrame(ReadOnlySpan<byte> frame)
    {
        SafeFileHandle handle = _segmentHandle!;
        try
        {
            if (_options.Preallocate && _position + frame.Length > _allocated) Preallocate(_position + frame.Length);
            if (_options.SplitWritesForCrashTests)
            {
                int half = frame.Length / 2;
                RandomAccess.Write(handle, frame[..half], _position);
                RandomAccess.FlushToDisk(handle);
                Thread.Sleep(1); // most of the record's time is now spent half-written: a kill usually tears it
                RandomAccess.Write(handle, frame[half..], _position + half);
            }
            else
            {
                RandomAccess.Write(handle, frame, _position); // one pwrite(2): a process crash leaves all of it or a prefix
            }
            // Over preallocated, already-synced blocks the size does not change, so fdatasync flushes the data alone.
            if (_options.Durability == AuditDurability.FsyncEachRecord)
            {
                if (_options.Preallocate) DurableFile.FlushData(handle);
                else RandomAccess.FlushToDisk(handle);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail("writing a record", e);
        }
    }

    /// <summary>
    /// Extends the current segment with zeros, written and fsynced, to the next <see cref="AuditFormat.PreallocationBytes"/>
    /// boundary (capped at segment_bytes) or at least to <paramref name="needed"/>. Appends then overwrite blocks
    /// the file system has already allocated and recorded, so their fdatasync skips the journal commit an
    /// append that grows the file needs (docs/audit-log.md "Preallocation"). Once per chunk: allocation-free.
    /// </summary>
    private void Preallocate(long needed)
    {
        SafeFileHandle handle = _segmentHandle!;
        long target = Math.Max(needed, Math.Min(_allocated + AuditFormat.PreallocationBytes, _options.SegmentBytes));
        ReadOnlySpan<byte> zeros = AuditFormat.Zeros;
        for (long offset = _allocated; offset < target;)
        {
            int n = (int)Math.Min(zeros.Length, target - offset);
            RandomAccess.Write(handle, zeros[..n], offset);
            offset += n;
        }
        RandomAccess.FlushToDisk(handle);
        _allocated = target;
    }

    /// <summary>Cuts the preallocated zeros off the current segment (before closing it), so closed segments end at their last record.</summary>
    private void TrimPreallocation()
    {
        if (_segmentHandle is null || _allocated <= _position) return;
        RandomAccess.SetLength(_segmentHandle, _position);
        _allocated = _position;
    }

    private void FlushSegment()
    {
        if (_segmentHandle is null) return;
        try
        {
            DurableFile.FlushData(_segmentHandle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail("fsync", e);
        }
        AdvanceDurable(_next - 1);
    }

    private void AdvanceDurable(ulong number)
    {
        long n = (long)number;
        long seen = Volatile.Read(ref _durable);
        while (n > seen)
        {
            long was = Interlocked.CompareExchange(ref _durable, n, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    private void EnsureWritable()
    {
        if (_disposed) ThrowClosed("the audit log is disposed");
        if (_failure is not null) ThrowClosed($"the audit log stopped after an earlier failure ({_failure.Message})");
    }

    [DoesNotReturn]
    private static void ThrowClosed(string message) => throw new AuditLogException(AuditErrorCode.Closed, message);

    [DoesNotReturn]
    private void Fail(string what, Exception e)
    {
        _failure = e;
        CoreLog.AuditWriteFailed(_logger, _directory, what, e.Message);
        throw new AuditLogException(AuditErrorCode.WriteFailed, $"{what} in {_directory} failed ({e.Message}); no further records are accepted", inner: e);
    }

    private string SegmentPath(uint segment) => Path.Combine(_directory, AuditFormat.SegmentFileName(segment));

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        StopFlusher();
        lock (_lock)
        {
            if (_segmentHandle is not null)
            {
                try
                {
                    if (_failure is null)
                    {
                        // Sealed, a clean stop leaves no record uncovered by a (signed) checkpoint; the next open
                        // finds the newest segment closed and starts another, as after a crash during rotation.
                        if (_options.SealOnClose && _position > AuditFormat.HeaderLength) WriteCheckpoint();
                        TrimPreallocation(); // a cleanly closed log ends at its last record
                        RandomAccess.FlushToDisk(_segmentHandle);
                    }
                }
                catch (Exception e) when (e is IOException or AuditLogException or System.Security.Cryptography.CryptographicException)
                {
                    CoreLog.AuditWriteFailed(_logger, _directory, "closing the segment", e.Message);
                }
                _segmentHandle.Dispose();
                _segmentHandle = null;
            }
        }
        _signer?.Dispose();
        _lockFile.Dispose();
    }
}
