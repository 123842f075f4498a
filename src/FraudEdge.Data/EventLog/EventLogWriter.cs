using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FraudEdge.Core.Events;
using MessagePack;

namespace FraudEdge.Data.EventLog;

/// <summary>
/// Appends records to an event log (docs/event-log.md): preamble, header, then one CRC-framed MessagePack array
/// per event or notice, in non-decreasing time order, closed by an end record carrying the counts. A writer
/// that is disposed without <see cref="Complete"/> leaves no end record, so readers report the log as
/// unfinished instead of silently using a partial file.
/// </summary>
public sealed class EventLogWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _payload = new(256);
    private readonly byte[] _frameHeader = new byte[EventLogFormat.FrameHeaderLength];
    // Heap scratch rather than stackalloc: MessagePackWriter is a ref struct, so a stack span passed to it
    // could (as far as the compiler knows) outlive the frame.
    private readonly byte[] _scratch = new byte[16];
    private long _lastTimestampUtcMs = long.MinValue;
    private bool _completed;
    private bool _disposed;

    public EventLogWriter(Stream stream, EventLogHeader header, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (!stream.CanWrite) throw new ArgumentException("The stream must be writable.", nameof(stream));
        if (Encoding.UTF8.GetByteCount(header.CreatedBy) > EventLogFormat.MaxHeaderTextLength ||
            Encoding.UTF8.GetByteCount(header.Source) > EventLogFormat.MaxHeaderTextLength)
            throw new ArgumentException($"Header texts are limited to {EventLogFormat.MaxHeaderTextLength} UTF-8 bytes.", nameof(header));
        _stream = stream;
        _leaveOpen = leaveOpen;
        _stream.Write(EventLogFormat.Magic);
        WriteHeader(header);
    }

    /// <summary>Creates (or overwrites) a log file with a 64 KiB write buffer.</summary>
    public static EventLogWriter Create(string path, EventLogHeader header)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        try
        {
            return new EventLogWriter(file, header);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public long EventCount { get; private set; }

    public long NoticeCount { get; private set; }

    /// <summary>Appends an event. Refuses invalid events and time going backwards: the log is a replay order.</summary>
    public void WriteEvent(in TransactionEvent evt, FraudTypology typology)
    {
        ThrowIfDone();
        var validation = LogEventValidator.Validate(evt);
        if (!validation.IsValid) throw new ArgumentException($"Refusing to log an invalid event: {validation}", nameof(evt));
        if (!FraudTypologies.IsDefined((byte)typology)) throw new ArgumentOutOfRangeException(nameof(typology));
        CheckOrder(evt.TimestampUtcMs);

        var w = new MessagePackWriter(_payload);
        w.WriteArrayHeader(EventLogFormat.EventFields);
        w.Write(EventLogFormat.EventTag);
        w.Write(evt.EventId);
        WriteAscii(ref w, evt.TerminalId.IsEmpty, evt.TerminalId.Packed);
        WriteAscii(ref w, evt.MerchantId.IsEmpty, evt.MerchantId.Packed);
        w.Write(evt.Lane);
        w.Write(evt.OperatorId);
        w.Write(evt.TimestampUtcMs);
        w.Write(evt.LocalOffsetMinutes);
        w.Write((byte)evt.Kind);
        w.Write(evt.AmountMinor);
        w.Write(evt.CashbackMinor);
        w.Write(evt.CurrencyCode);
        w.Write(evt.MerchantCategoryCode);
        w.Write(evt.TerminalCountry);
        WriteToken(ref w, evt.CardToken);
        w.Write(evt.Bin.Digits);
        w.Write(evt.Bin.Length);
        w.Write(evt.LastFour);
        w.Write((byte)evt.Scheme);
        w.Write((byte)evt.CardType);
        w.Write(evt.IssuerCountry);
        w.Write(evt.ExpiryYyMm);
        w.Write(evt.ServiceCode);
        w.Write((byte)evt.EntryMode);
        w.Write((byte)evt.Cvm);
        if (evt.HasAtc) w.Write(evt.Atc);
        else w.WriteNil();
        w.Write((ulong)evt.Tvr);
        w.Write((byte)evt.Cryptogram);
        w.Write(evt.Attended);
        w.Write((byte)typology);
        w.Flush();
        WriteFrame();
        EventCount++;
    }

    public void WriteNotice(in OutcomeNotice notice)
    {
        ThrowIfDone();
        var validation = EventValidator.Validate(notice);
        if (!validation.IsValid) throw new ArgumentException($"Refusing to log an invalid notice: {validation}", nameof(notice));
        CheckOrder(notice.TimestampUtcMs);

        var w = new MessagePackWriter(_payload);
        w.WriteArrayHeader(EventLogFormat.NoticeFields);
        w.Write(EventLogFormat.NoticeTag);
        w.Write(notice.EventId);
        WriteAscii(ref w, notice.TerminalId.IsEmpty, notice.TerminalId.Packed);
        WriteToken(ref w, notice.CardToken);
        w.Write(notice.TimestampUtcMs);
        w.Write((byte)notice.Kind);
        if (notice.Kind == OutcomeKind.IssuerResponse)
        {
            _scratch[0] = (byte)(notice.ResponseCode >> 8);
            _scratch[1] = (byte)notice.ResponseCode;
            w.WriteString(_scratch.AsSpan(0, 2));
        }
        else
        {
            w.WriteNil();
        }
        w.Flush();
        WriteFrame();
        NoticeCount++;
    }

    /// <summary>Writes the end record and flushes. Without it the log reads as truncated.</summary>
    public void Complete()
    {
        ThrowIfDone();
        var w = new MessagePackWriter(_payload);
        w.WriteArrayHeader(EventLogFormat.EndFields);
        w.Write(EventLogFormat.EndTag);
        w.Write(EventCount);
        w.Write(NoticeCount);
        w.Flush();
        WriteFrame();
        _stream.Flush();
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
        else _stream.Flush();
    }

    private void WriteHeader(EventLogHeader header)
    {
        var w = new MessagePackWriter(_payload);
        w.WriteArrayHeader(EventLogFormat.HeaderFields);
        w.Write(EventLogFormat.HeaderTag);
        w.Write(EventLogFormat.Name);
        w.Write(EventLogFormat.Version);
        w.Write(header.CreatedBy);
        w.Write(header.Source);
        if (header.Seed is long seed) w.Write(seed);
        else w.WriteNil();
        w.Write(header.HasGroundTruth);
        w.Flush();
        WriteFrame();
    }

    private void WriteFrame()
    {
        ReadOnlySpan<byte> payload = _payload.WrittenSpan;
        BinaryPrimitives.WriteUInt32BigEndian(_frameHeader, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(_frameHeader.AsSpan(4), Crc32C.Compute(payload));
        _stream.Write(_frameHeader);
        _stream.Write(payload);
        _payload.ResetWrittenCount();
    }

    private void CheckOrder(long timestampUtcMs)
    {
        if (timestampUtcMs < _lastTimestampUtcMs)
            throw new InvalidOperationException(
                $"Records must be written in non-decreasing time order ({timestampUtcMs} after {_lastTimestampUtcMs}).");
        _lastTimestampUtcMs = timestampUtcMs;
    }

    private void ThrowIfDone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed) throw new InvalidOperationException("The event log is complete; nothing may follow the end record.");
    }

    /// <summary>Ids travel as readable strings (DE 41/42 are ASCII); nil means unknown.</summary>
    private void WriteAscii(ref MessagePackWriter w, bool isEmpty, UInt128 packed)
    {
        if (isEmpty)
        {
            w.WriteNil();
            return;
        }
        int length = new TerminalId(packed).CopyTo(_scratch);
        w.WriteString(_scratch.AsSpan(0, length));
    }

    private void WriteToken(ref MessagePackWriter w, CardToken token)
    {
        token.CopyTo(_scratch);
        w.Write(_scratch.AsSpan(0, CardToken.Size));
    }
}
