using System.Buffers;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;
using MessagePack;

namespace FraudEdge.Data.Tests.EventLog;

public class EventLogCorruptionTests
{
    private static EventLogException ReadFails(byte[] log)
    {
        return Assert.Throws<EventLogException>(() =>
        {
            using var reader = new EventLogReader(new MemoryStream(log));
            while (reader.Read(out _))
            {
            }
        });
    }

    [Fact]
    public void Small_log_reads_back()
    {
        var records = LogSamples.ReadAll(LogSamples.SmallLog());
        Assert.Equal(5, records.Count);
        Assert.Equal(FraudTypology.CardTesting, records[2].Typology);
        Assert.Equal(OutcomeKind.FraudReported, records[4].Notice.Kind);
    }

    [Fact]
    public void Truncation_at_every_byte_is_detected_with_the_right_code()
    {
        byte[] log = LogSamples.SmallLog();
        var frames = LogSamples.Frames(log);
        for (int cut = 0; cut < log.Length; cut++)
        {
            var e = ReadFails(log[..cut]);
            int frame = frames.FindIndex(f => cut >= f.Offset && cut < f.Offset + f.Length);
            EventLogErrorCode expected =
                cut < EventLogFormat.MagicLength ? EventLogErrorCode.BadMagic
                : cut == EventLogFormat.MagicLength ? EventLogErrorCode.MissingHeader
                : cut == frames[frame].Offset ? EventLogErrorCode.MissingEndRecord
                : EventLogErrorCode.Truncated;
            Assert.True(expected == e.Code, $"cut at {cut}: expected {expected}, got {e.Code} ({e.Message})");
            if (cut >= EventLogFormat.MagicLength)
            {
                Assert.Equal(frame, e.RecordNumber);
                Assert.Equal(frames[frame].Offset, e.Offset);
            }
        }
    }

    [Fact]
    public void A_flipped_payload_bit_is_a_checksum_mismatch_at_that_record()
    {
        byte[] log = LogSamples.SmallLog();
        var frames = LogSamples.Frames(log);
        for (int record = 0; record < frames.Count; record++)
        {
            var (offset, length) = frames[record];
            var bad = (byte[])log.Clone();
            bad[offset + length - 1] ^= 0x10;
            var e = ReadFails(bad);
            Assert.Equal(EventLogErrorCode.ChecksumMismatch, e.Code);
            Assert.Equal(record, e.RecordNumber);
            Assert.Equal(offset, e.Offset);
            Assert.Contains($"record {record}, offset {offset}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_huge_declared_length_is_refused_before_allocating()
    {
        byte[] log = LogSamples.SmallLog();
        var frames = LogSamples.Frames(log);
        var bad = (byte[])log.Clone();
        bad[frames[2].Offset] = 0x7F; // length now ~2 GB
        var e = ReadFails(bad);
        Assert.Equal(EventLogErrorCode.FrameTooLarge, e.Code);
        Assert.Equal(2, e.RecordNumber);
    }

    [Fact]
    public void Wrong_magic_and_bytes_after_the_end_are_refused()
    {
        byte[] log = LogSamples.SmallLog();
        var bad = (byte[])log.Clone();
        bad[0] = (byte)'X';
        Assert.Equal(EventLogErrorCode.BadMagic, ReadFails(bad).Code);
        // A text-mode transfer that turns CR LF into LF breaks the preamble, not some later record.
        var mangled = log.Take(5).Concat(log.Skip(6)).ToArray();
        Assert.Equal(EventLogErrorCode.BadMagic, ReadFails(mangled).Code);
        var trailing = log.Append((byte)0).ToArray();
        var e = ReadFails(trailing);
        Assert.Equal(EventLogErrorCode.TrailingData, e.Code);
        Assert.Equal(log.Length, e.Offset);
    }

    [Fact]
    public void Records_out_of_time_order_are_refused()
    {
        byte[] log = LogSamples.SmallLog();
        var frames = LogSamples.Frames(log);
        // Swap the second and third events (records 3 and 4 hold event b and c; record 2 is a notice).
        var f = frames;
        byte[] swapped = [.. log[..f[3].Offset], .. Slice(log, f[4]), .. Slice(log, f[3]), .. log[(f[4].Offset + f[4].Length)..]];
        // b (t+60 s) after c (t+120 s) goes back in time.
        var e = ReadFails(swapped);
        Assert.Equal(EventLogErrorCode.OutOfOrder, e.Code);
        Assert.Equal(4, e.RecordNumber);
    }

    [Fact]
    public void A_missing_record_is_a_count_mismatch()
    {
        byte[] log = LogSamples.SmallLog();
        var f = LogSamples.Frames(log);
        byte[] dropped = [.. log[..f[3].Offset], .. log[(f[3].Offset + f[3].Length)..]];
        Assert.Equal(EventLogErrorCode.CountMismatch, ReadFails(dropped).Code);
    }

    [Fact]
    public void Valid_frames_with_bad_content_are_reported_by_kind()
    {
        byte[] log = LogSamples.SmallLog();
        var f = LogSamples.Frames(log);
        byte[] prefix = log[..(f[1].Offset)]; // preamble + header

        // An event whose kind is not defined.
        var evt = LogSamples.Event(9, LogSamples.Start);
        byte[] invalidEvent = [.. prefix, .. LogSamples.Frame(EventPayload(evt, kind: 99))];
        var e = ReadFails(invalidEvent);
        Assert.Equal(EventLogErrorCode.InvalidEvent, e.Code);
        Assert.Equal(1, e.RecordNumber);
        Assert.Contains("UndefinedKind", e.Message, StringComparison.Ordinal);

        // A record type that does not exist.
        byte[] unknown = [.. prefix, .. LogSamples.Frame(Pack(w => { w.WriteArrayHeader(1); w.Write(77); }))];
        Assert.Equal(EventLogErrorCode.UnknownRecordType, ReadFails(unknown).Code);

        // Not an array at all.
        byte[] notArray = [.. prefix, .. LogSamples.Frame(Pack(w => w.Write("hello")))];
        Assert.Equal(EventLogErrorCode.MalformedRecord, ReadFails(notArray).Code);

        // An event array that is too short.
        byte[] shortEvent = [.. prefix, .. LogSamples.Frame(Pack(w => { w.WriteArrayHeader(3); w.Write(2); w.Write(1UL); w.Write("T1"); }))];
        Assert.Equal(EventLogErrorCode.MalformedRecord, ReadFails(shortEvent).Code);

        // A second header.
        byte[] twoHeaders = [.. prefix, .. Slice(log, f[0])];
        Assert.Equal(EventLogErrorCode.MissingHeader, ReadFails(twoHeaders).Code);
    }

    [Fact]
    public void Fields_appended_by_a_later_revision_are_skipped()
    {
        byte[] log = LogSamples.SmallLog();
        var f = LogSamples.Frames(log);
        var evt = LogSamples.Event(9, LogSamples.Start);
        byte[] extended = [.. log[..f[1].Offset], .. LogSamples.Frame(EventPayload(evt, extraFields: 2)), .. EndFrame(1, 0)];
        var records = LogSamples.ReadAll(extended);
        Assert.Single(records);
        Assert.Equal(evt, records[0].Event);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        byte[] header = Pack(w =>
        {
            w.WriteArrayHeader(7);
            w.Write(1);
            w.Write("fe-eventlog");
            w.Write(2);
            w.Write("x");
            w.Write("y");
            w.WriteNil();
            w.Write(false);
        });
        byte[] log = [.. EventLogFormat.Magic, .. LogSamples.Frame(header), .. EndFrame(0, 0)];
        var e = ReadFails(log);
        Assert.Equal(EventLogErrorCode.UnsupportedVersion, e.Code);
        Assert.Equal(0, e.RecordNumber);
    }

    [Fact]
    public void The_writer_refuses_invalid_events_and_time_going_back()
    {
        using var writer = new EventLogWriter(new MemoryStream(), LogSamples.Header);
        var evt = LogSamples.Event(1, LogSamples.Start);
        evt.AmountMinor = -5;
        Assert.Throws<ArgumentException>(() => writer.WriteEvent(evt, FraudTypology.Legitimate));
        writer.WriteEvent(LogSamples.Event(2, LogSamples.Start), FraudTypology.Legitimate);
        Assert.Throws<InvalidOperationException>(() => writer.WriteEvent(LogSamples.Event(3, LogSamples.Start - 1), FraudTypology.Legitimate));
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    private static byte[] Slice(byte[] log, (int Offset, int Length) frame) => log[frame.Offset..(frame.Offset + frame.Length)];

    private static byte[] EndFrame(long events, long notices) =>
        LogSamples.Frame(Pack(w => { w.WriteArrayHeader(3); w.Write(4); w.Write(events); w.Write(notices); }));

    private static byte[] Pack(Action<MessagePackWriterBox> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var box = new MessagePackWriterBox(buffer);
        write(box);
        box.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An event record written by hand, optionally with a bad kind or extra trailing fields.</summary>
    private static byte[] EventPayload(in TransactionEvent e, int? kind = null, int extraFields = 0)
    {
        var evt = e;
        return Pack(w =>
        {
            w.WriteArrayHeader(30 + extraFields);
            w.Write(2);
            w.Write(evt.EventId);
            w.Write(evt.TerminalId.ToString());
            w.Write(evt.MerchantId.ToString());
            w.Write(evt.Lane);
            w.Write(evt.OperatorId);
            w.Write(evt.TimestampUtcMs);
            w.Write(evt.LocalOffsetMinutes);
            w.Write(kind ?? (int)evt.Kind);
            w.Write(evt.AmountMinor);
            w.Write(evt.CashbackMinor);
            w.Write(evt.CurrencyCode);
            w.Write(evt.MerchantCategoryCode);
            w.Write(evt.TerminalCountry);
            var token = new byte[16];
            evt.CardToken.CopyTo(token);
            w.WriteBytes(token);
            w.Write(evt.Bin.Digits);
            w.Write(evt.Bin.Length);
            w.Write(evt.LastFour);
            w.Write((int)evt.Scheme);
            w.Write((int)evt.CardType);
            w.Write(evt.IssuerCountry);
            w.Write(evt.ExpiryYyMm);
            w.Write(evt.ServiceCode);
            w.Write((int)evt.EntryMode);
            w.Write((int)evt.Cvm);
            if (evt.HasAtc) w.Write(evt.Atc);
            else w.WriteNil();
            w.Write((ulong)evt.Tvr);
            w.Write((int)evt.Cryptogram);
            w.Write(evt.Attended);
            w.Write(0);
            for (int i = 0; i < extraFields; i++) w.Write("future");
        });
    }

    /// <summary>MessagePackWriter is a ref struct and cannot be captured; each call writes and flushes its own.</summary>
    private sealed class MessagePackWriterBox(IBufferWriter<byte> output)
    {
        private delegate void Op(ref MessagePackWriter w);

        private void Do(Op op)
        {
            var w = new MessagePackWriter(output);
            op(ref w);
            w.Flush();
        }

        public void WriteArrayHeader(int n) => Do((ref MessagePackWriter w) => w.WriteArrayHeader(n));
        public void Write(int v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(long v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(ulong v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(uint v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(ushort v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(short v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(byte v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(bool v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void Write(string v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void WriteBytes(byte[] v) => Do((ref MessagePackWriter w) => w.Write(v));
        public void WriteNil() => Do((ref MessagePackWriter w) => w.WriteNil());
        public void Flush()
        {
        }
    }
}
