using System.Buffers;
using System.Buffers.Binary;
using FraudEdge.Core.Events;
using MessagePack;

namespace FraudEdge.Data.EventLog;

/// <summary>
/// Streams an event log record by record (never the whole file): checks the preamble, each frame's length cap
/// and CRC-32C, the record layout, every event and notice against the validators, time order, and the end
/// record's counts. Any failure throws <see cref="EventLogException"/> with a code, record number and offset.
/// </summary>
public sealed class EventLogReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _frameHeader = new byte[EventLogFormat.FrameHeaderLength];
    private byte[] _payload = new byte[1024];
    private long _position;
    private long _recordNumber = -1;
    private long _recordOffset;
    private long _lastTimestampUtcMs = long.MinValue;
    private bool _ended;
    private bool _disposed;

    public EventLogReader(Stream stream, bool leaveOpen = false)
    {
        if (!stream.CanRead) throw new ArgumentException("The stream must be readable.", nameof(stream));
        _stream = stream;
        _leaveOpen = leaveOpen;
        Header = ReadPreambleAndHeader();
    }

    public static EventLogReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        try
        {
            return new EventLogReader(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public EventLogHeader Header { get; }

    /// <summary>Number of the record last returned (0 = header).</summary>
    public long RecordNumber => _recordNumber;

    /// <summary>File offset of the frame of the record last returned.</summary>
    public long RecordOffset => _recordOffset;

    public long EventCount { get; private set; }

    public long NoticeCount { get; private set; }

    /// <summary>
    /// Reads the next event or notice. Returns false once the end record has been read and the file is known
    /// to end there; throws <see cref="EventLogException"/> on anything else.
    /// </summary>
    public bool Read(out EventLogRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        record = default;
        if (_ended) return false;
        if (!ReadFrame(out int length))
            throw Error(EventLogErrorCode.MissingEndRecord, "the log ends without an end record (the writer did not finish)");
        var reader = new MessagePackReader(new ReadOnlyMemory<byte>(_payload, 0, length));
        try
        {
            int count = reader.ReadArrayHeader();
            if (count < 1) throw Error(EventLogErrorCode.MalformedRecord, "empty record array");
            int tag = reader.ReadInt32();
            switch (tag)
            {
                case EventLogFormat.EventTag:
                    RequireFields(count, EventLogFormat.EventFields, "event");
                    ReadEvent(ref reader, count, ref record);
                    FinishPayload(ref reader);
                    CheckEvent(record.Event);
                    CheckOrder(record.Event.TimestampUtcMs);
                    EventCount++;
                    return true;
                case EventLogFormat.NoticeTag:
                    RequireFields(count, EventLogFormat.NoticeFields, "notice");
                    ReadNotice(ref reader, count, ref record);
                    FinishPayload(ref reader);
                    var result = EventValidator.Validate(record.Notice);
                    if (!result.IsValid) throw Error(EventLogErrorCode.InvalidNotice, result.ToString());
                    CheckOrder(record.Notice.TimestampUtcMs);
                    NoticeCount++;
                    return true;
                case EventLogFormat.EndTag:
                    RequireFields(count, EventLogFormat.EndFields, "end");
                    long events = reader.ReadInt64();
                    long notices = reader.ReadInt64();
                    SkipExtra(ref reader, count - EventLogFormat.EndFields);
                    FinishPayload(ref reader);
                    if (events != EventCount || notices != NoticeCount)
                        throw Error(EventLogErrorCode.CountMismatch,
                            $"end record counts {events} events / {notices} notices, read {EventCount} / {NoticeCount}");
                    _ended = true;
                    if (_stream.ReadByte() >= 0)
                    {
                        _recordNumber++;
                        _recordOffset = _position;
                        throw Error(EventLogErrorCode.TrailingData, "bytes follow the end record");
                    }
                    return false;
                case EventLogFormat.HeaderTag:
                    throw Error(EventLogErrorCode.MissingHeader, "a second header record inside the log");
                default:
                    throw Error(EventLogErrorCode.UnknownRecordType, $"record type {tag}");
            }
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            throw Error(EventLogErrorCode.MalformedRecord, e.Message);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
    }

    private EventLogHeader ReadPreambleAndHeader()
    {
        Span<byte> magic = stackalloc byte[EventLogFormat.MagicLength];
        int read = ReadUpTo(magic);
        _recordNumber = 0;
        if (read < magic.Length || !magic.SequenceEqual(EventLogFormat.Magic))
            throw Error(EventLogErrorCode.BadMagic, "not a FraudEdge event log (preamble mismatch)");
        _recordNumber = -1; // ReadFrame advances it: the header is record 0
        if (!ReadFrame(out int length))
            throw Error(EventLogErrorCode.MissingHeader, "the log has no header record");
        var reader = new MessagePackReader(new ReadOnlyMemory<byte>(_payload, 0, length));
        try
        {
            int count = reader.ReadArrayHeader();
            if (count < 1 || reader.ReadInt32() != EventLogFormat.HeaderTag)
                throw Error(EventLogErrorCode.MissingHeader, "the first record is not a header");
            if (count < 3) throw Error(EventLogErrorCode.MalformedRecord, "header has too few fields");
            string? format = reader.ReadString();
            int version = reader.ReadInt32();
            if (format != EventLogFormat.Name || version != EventLogFormat.Version)
                throw Error(EventLogErrorCode.UnsupportedVersion,
                    $"format '{format}' version {version}; this reader reads '{EventLogFormat.Name}' version {EventLogFormat.Version}");
            RequireFields(count, EventLogFormat.HeaderFields, "header");
            string createdBy = reader.ReadString() ?? "";
            string source = reader.ReadString() ?? "";
            long? seed = reader.TryReadNil() ? null : reader.ReadInt64();
            bool truth = reader.ReadBoolean();
            SkipExtra(ref reader, count - EventLogFormat.HeaderFields);
            FinishPayload(ref reader);
            return new EventLogHeader { CreatedBy = createdBy, Source = source, Seed = seed, HasGroundTruth = truth, Version = version };
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            throw Error(EventLogErrorCode.MalformedRecord, e.Message);
        }
    }

    /// <summary>Reads one frame into <see cref="_payload"/>; false at a clean end of file.</summary>
    private bool ReadFrame(out int length)
    {
        _recordNumber++;
        _recordOffset = _position;
        length = 0;
        int got = ReadUpTo(_frameHeader);
        if (got == 0) return false;
        if (got < _frameHeader.Length)
            throw Error(EventLogErrorCode.Truncated, $"the file ends inside a frame header ({got} of {EventLogFormat.FrameHeaderLength} bytes)");
        uint declared = BinaryPrimitives.ReadUInt32BigEndian(_frameHeader);
        uint crc = BinaryPrimitives.ReadUInt32BigEndian(_frameHeader.AsSpan(4));
        // The cap is checked before anything is sized from the declared length.
        if (declared == 0 || declared > EventLogFormat.MaxPayloadLength)
            throw Error(EventLogErrorCode.FrameTooLarge, $"frame declares {declared} payload bytes (allowed 1..{EventLogFormat.MaxPayloadLength})");
        length = (int)declared;
        if (_payload.Length < length) _payload = new byte[Math.Max(length, _payload.Length * 2)];
        got = ReadUpTo(_payload.AsSpan(0, length));
        if (got < length)
            throw Error(EventLogErrorCode.Truncated, $"the file ends inside a record ({got} of {length} payload bytes)");
        uint actual = Crc32C.Compute(_payload.AsSpan(0, length));
        if (actual != crc)
            throw Error(EventLogErrorCode.ChecksumMismatch, $"CRC-32C {actual:x8} does not match the frame's {crc:x8}");
        return true;
    }

    private int ReadUpTo(Span<byte> destination)
    {
        int total = _stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        _position += total;
        return total;
    }

    private void ReadEvent(ref MessagePackReader r, int count, ref EventLogRecord record)
    {
        record.Kind = EventLogRecordKind.Event;
        ref TransactionEvent e = ref record.Event;
        e.EventId = r.ReadUInt64();
        e.TerminalId = new TerminalId(ReadAscii(ref r, "terminal_id"));
        e.MerchantId = new MerchantId(ReadAscii(ref r, "merchant_id"));
        e.Lane = r.ReadUInt16();
        e.OperatorId = r.ReadUInt32();
        e.TimestampUtcMs = r.ReadInt64();
        e.LocalOffsetMinutes = r.ReadInt16();
        e.Kind = (TransactionKind)r.ReadByte();
        e.AmountMinor = r.ReadInt64();
        e.CashbackMinor = r.ReadInt64();
        e.CurrencyCode = r.ReadUInt16();
        e.MerchantCategoryCode = r.ReadUInt16();
        e.TerminalCountry = r.ReadUInt16();
        e.CardToken = ReadToken(ref r);
        uint binDigits = r.ReadUInt32();
        byte binLength = r.ReadByte();
        e.Bin = new Bin(binDigits, binLength);
        e.LastFour = r.ReadUInt16();
        e.Scheme = (CardScheme)r.ReadByte();
        e.CardType = (CardType)r.ReadByte();
        e.IssuerCountry = r.ReadUInt16();
        e.ExpiryYyMm = r.ReadUInt16();
        e.ServiceCode = r.ReadUInt16();
        e.EntryMode = (EntryMode)r.ReadByte();
        e.Cvm = (CardholderVerification)r.ReadByte();
        if (r.TryReadNil())
        {
            e.HasAtc = false;
            e.Atc = 0;
        }
        else
        {
            e.HasAtc = true;
            e.Atc = r.ReadUInt16();
        }
        e.Tvr = (TerminalVerificationResults)r.ReadUInt64();
        e.Cryptogram = (CryptogramType)r.ReadByte();
        e.Attended = r.ReadBoolean();
        byte typology = r.ReadByte();
        if (!FraudTypologies.IsDefined(typology))
            throw Error(EventLogErrorCode.MalformedRecord, $"undefined typology {typology}");
        record.Typology = (FraudTypology)typology;
        SkipExtra(ref r, count - EventLogFormat.EventFields);
    }

    private void ReadNotice(ref MessagePackReader r, int count, ref EventLogRecord record)
    {
        record.Kind = EventLogRecordKind.Notice;
        ref OutcomeNotice n = ref record.Notice;
        n.EventId = r.ReadUInt64();
        n.TerminalId = new TerminalId(ReadAscii(ref r, "terminal_id"));
        n.CardToken = ReadToken(ref r);
        n.TimestampUtcMs = r.ReadInt64();
        n.Kind = (OutcomeKind)r.ReadByte();
        if (r.TryReadNil())
        {
            n.ResponseCode = 0;
        }
        else
        {
            ReadOnlySequence<byte>? code = r.ReadStringSequence();
            if (code is not { Length: 2 } c) throw Error(EventLogErrorCode.MalformedRecord, "response code must be two characters");
            Span<byte> two = stackalloc byte[2];
            c.CopyTo(two);
            n.ResponseCode = (ushort)((two[0] << 8) | two[1]);
        }
        SkipExtra(ref r, count - EventLogFormat.NoticeFields);
    }

    private UInt128 ReadAscii(ref MessagePackReader r, string field)
    {
        if (r.TryReadNil()) return UInt128.Zero;
        ReadOnlySequence<byte>? text = r.ReadStringSequence();
        if (text is not { } t || t.Length is 0 or > 16)
            throw Error(EventLogErrorCode.MalformedRecord, $"{field} must be 1-16 ASCII characters");
        Span<byte> ascii = stackalloc byte[16];
        t.CopyTo(ascii);
        if (!TerminalId.TryParse(ascii[..(int)t.Length], out var id))
            throw Error(EventLogErrorCode.MalformedRecord, $"{field} must be printable ASCII");
        return id.Packed;
    }

    private CardToken ReadToken(ref MessagePackReader r)
    {
        ReadOnlySequence<byte>? bytes = r.ReadBytes();
        if (bytes is not { Length: CardToken.Size } b)
            throw Error(EventLogErrorCode.MalformedRecord, $"card token must be {CardToken.Size} bytes");
        Span<byte> token = stackalloc byte[CardToken.Size];
        b.CopyTo(token);
        return CardToken.FromBytes(token);
    }

    private void CheckEvent(in TransactionEvent evt)
    {
        var result = LogEventValidator.Validate(evt);
        if (!result.IsValid) throw Error(EventLogErrorCode.InvalidEvent, result.ToString());
    }

    private void CheckOrder(long timestampUtcMs)
    {
        if (timestampUtcMs < _lastTimestampUtcMs)
            throw Error(EventLogErrorCode.OutOfOrder, $"timestamp {timestampUtcMs} is before the previous record's {_lastTimestampUtcMs}");
        _lastTimestampUtcMs = timestampUtcMs;
    }

    private void RequireFields(int count, int required, string what)
    {
        if (count < required) throw Error(EventLogErrorCode.MalformedRecord, $"{what} record has {count} fields, version {EventLogFormat.Version} needs {required}");
    }

    /// <summary>Fields appended by a later minor revision are skipped, so old readers keep working.</summary>
    private static void SkipExtra(ref MessagePackReader r, int extra)
    {
        for (int i = 0; i < extra; i++) r.Skip();
    }

    private void FinishPayload(ref MessagePackReader r)
    {
        if (!r.End) throw Error(EventLogErrorCode.MalformedRecord, "bytes after the record's array inside the frame");
    }

    private EventLogException Error(EventLogErrorCode code, string detail) => new(code, _recordNumber, _recordOffset, detail);
}
