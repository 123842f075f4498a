using System.Buffers.Binary;
using System.Text;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Data.Tests;

/// <summary>Events, notices and raw log bytes for the tests.</summary>
internal static class LogSamples
{
    /// <summary>2026-01-05T00:00:00Z.</summary>
    public const long Start = 1_767_571_200_000;
    public const long Day = 86_400_000;

    public static readonly EventLogHeader Header = new() { CreatedBy = "tests", Source = "hand-made", Seed = 42, HasGroundTruth = true };

    public static CardToken Card(int n) => CardToken.FromIdentifier("test-key-0123456789"u8, Encoding.ASCII.GetBytes($"card-{n}"));

    public static TransactionEvent Event(ulong id, long ts, int card = 1, string terminal = "T1", long amount = 1234,
        TransactionKind kind = TransactionKind.Purchase, EntryMode entry = EntryMode.Chip) => new()
    {
        EventId = id,
        TerminalId = TerminalId.Parse(terminal),
        MerchantId = MerchantId.Parse("M" + terminal),
        Lane = 1,
        OperatorId = 7,
        TimestampUtcMs = ts,
        LocalOffsetMinutes = 60,
        Kind = kind,
        AmountMinor = amount,
        CurrencyCode = 978,
        MerchantCategoryCode = 5411,
        TerminalCountry = 276,
        CardToken = Card(card),
        Bin = new Bin(412345, 6),
        LastFour = 1234,
        Scheme = CardScheme.Visa,
        CardType = CardType.Debit,
        IssuerCountry = 276,
        ExpiryYyMm = 2812,
        ServiceCode = 201,
        EntryMode = entry,
        Cvm = CardholderVerification.OfflinePin,
        HasAtc = entry is EntryMode.Chip or EntryMode.ContactlessChip,
        Atc = (ushort)(entry is EntryMode.Chip or EntryMode.ContactlessChip ? 17 : 0),
        Tvr = TerminalVerificationResults.ExceedsFloorLimit,
        Cryptogram = entry is EntryMode.Chip or EntryMode.ContactlessChip ? CryptogramType.Arqc : CryptogramType.None,
        Attended = true,
    };

    public static OutcomeNotice Notice(in TransactionEvent evt, long ts, OutcomeKind kind, string? code = null) => new()
    {
        EventId = evt.EventId,
        TerminalId = evt.TerminalId,
        CardToken = evt.CardToken,
        TimestampUtcMs = ts,
        Kind = kind,
        ResponseCode = code is null ? (ushort)0 : OutcomeNotice.PackResponseCode(code),
    };

    /// <summary>A small complete log: 3 events, 2 notices.</summary>
    public static byte[] SmallLog()
    {
        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, Header, leaveOpen: true))
        {
            var a = Event(1, Start);
            var b = Event(2, Start + 60_000, card: 2);
            var c = Event(3, Start + 120_000, card: 1);
            writer.WriteEvent(a, FraudTypology.Legitimate);
            writer.WriteNotice(Notice(a, Start + 2_000, OutcomeKind.IssuerResponse, "00"));
            writer.WriteEvent(b, FraudTypology.CardTesting);
            writer.WriteEvent(c, FraudTypology.Legitimate);
            writer.WriteNotice(Notice(b, Start + Day, OutcomeKind.FraudReported));
            writer.Complete();
        }
        return stream.ToArray();
    }

    /// <summary>(offset, length) of every frame after the preamble, header first, end record last.</summary>
    public static List<(int Offset, int Length)> Frames(byte[] log)
    {
        var frames = new List<(int, int)>();
        int offset = EventLogFormat.MagicLength;
        while (offset < log.Length)
        {
            int payload = (int)BinaryPrimitives.ReadUInt32BigEndian(log.AsSpan(offset));
            frames.Add((offset, EventLogFormat.FrameHeaderLength + payload));
            offset += EventLogFormat.FrameHeaderLength + payload;
        }
        return frames;
    }

    /// <summary>A frame (length, CRC-32C, payload) around any payload, for hand-made records.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[EventLogFormat.FrameHeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), Crc32C.Compute(payload));
        payload.CopyTo(frame.AsSpan(EventLogFormat.FrameHeaderLength));
        return frame;
    }

    public static List<EventLogRecord> ReadAll(byte[] log)
    {
        using var reader = new EventLogReader(new MemoryStream(log));
        var records = new List<EventLogRecord>();
        while (reader.Read(out var record)) records.Add(record);
        return records;
    }
}
