using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Data.Tests.EventLog;

public class EventLogRoundTripProperties
{
    /// <summary>Valid events over every field's range: large ids and amounts, 16-character ids, unknowns, every enum.</summary>
    internal static Gen<(TransactionEvent Event, FraudTypology Typology)> ValidEvents =>
        Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 26).Select(Build);

    private static (TransactionEvent, FraudTypology) Build(int[] r)
    {
        var kinds = Enum.GetValues<TransactionKind>();
        var entries = Enum.GetValues<EntryMode>();
        var cvms = Enum.GetValues<CardholderVerification>();
        var kind = kinds[r[0] % kinds.Length];
        var entry = entries[r[1] % entries.Length];
        long amount = kind == TransactionKind.Void && r[2] % 5 == 0 ? 0
            : 1 + (((long)r[2] << 8) ^ r[3]) % (r[3] % 3 == 0 ? EventValidator.MaxAmountMinor : 200_000);
        bool chip = entry is EntryMode.Chip or EntryMode.ContactlessChip;
        int binLength = 6 + r[4] % 3;
        uint binLow = binLength switch { 6 => 100_000u, 7 => 1_000_000u, _ => 10_000_000u };
        string terminal = r[6] % 4 == 0 ? "T" + new string('9', 15) : "T" + (r[6] % 97);
        bool unknownMerchant = r[7] % 9 == 0; // imported history may leave these unknown
        var evt = new TransactionEvent
        {
            EventId = 1 + (((ulong)(uint)r[5] << 32) | (uint)r[24]),
            TerminalId = TerminalId.Parse(terminal),
            MerchantId = unknownMerchant ? default : MerchantId.Parse("M" + (r[7] % 1000)),
            Lane = (ushort)(r[8] % 65536),
            OperatorId = (uint)r[9] * 2u,
            TimestampUtcMs = EventValidator.MinTimestampUtcMs + (long)r[10] * 1000 + r[11] % 1000,
            LocalOffsetMinutes = (short)(r[12] % 1561 - 720),
            Kind = kind,
            AmountMinor = amount,
            CashbackMinor = kind == TransactionKind.Purchase && r[11] % 4 == 0 ? amount / 3 : 0,
            CurrencyCode = unknownMerchant ? (ushort)0 : (ushort)(1 + r[12] % 999),
            MerchantCategoryCode = unknownMerchant ? (ushort)0 : (ushort)(1 + r[13] % 9999),
            TerminalCountry = unknownMerchant ? (ushort)0 : (ushort)(1 + r[14] % 999),
            CardToken = LogSamples.Card(1 + r[15] % 1000),
            Bin = unknownMerchant ? default : new Bin(binLow + (uint)(r[16] % (int)(binLow * 9)), (byte)binLength),
            LastFour = (ushort)(r[17] % 10_000),
            Scheme = (CardScheme)(r[18] % 8),
            CardType = (CardType)(r[19] % 5),
            IssuerCountry = (ushort)(r[20] % 1000),
            ExpiryYyMm = (ushort)(r[21] % 7 == 0 ? 0 : (r[21] % 100) * 100 + 1 + r[21] % 12),
            ServiceCode = (ushort)(r[22] % 4 == 0 ? 0 : 100 + r[22] % 900),
            EntryMode = entry,
            Cvm = cvms[r[23] % cvms.Length],
            HasAtc = chip && r[23] % 5 != 0,
            Atc = chip && r[23] % 5 != 0 ? (ushort)r[25] : (ushort)0,
            Tvr = (TerminalVerificationResults)(((ulong)(uint)r[3] << 8 | (uint)r[25] & 0xFF) & ((1UL << 40) - 1)),
            Cryptogram = chip ? (CryptogramType)(r[11] % 4) : CryptogramType.None,
            Attended = r[12] % 2 == 0,
        };
        var typologies = FraudTypologies.Fraud.Append(FraudTypology.Legitimate).Append(FraudTypology.Unknown).ToArray();
        return (evt, typologies[r[25] % typologies.Length]);
    }

    private static Gen<OutcomeNotice> Notices =>
        Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 5).Select(r =>
        {
            var kind = (OutcomeKind)(1 + r[0] % 4);
            string code = new string(new[] { "0123456789AZ"[r[1] % 12], "0123456789NY"[r[2] % 12] });
            return new OutcomeNotice
            {
                EventId = 1 + (ulong)r[3],
                TerminalId = TerminalId.Parse("T" + (r[4] % 97)),
                CardToken = LogSamples.Card(1 + r[4] % 1000),
                TimestampUtcMs = EventValidator.MinTimestampUtcMs + (long)r[2] * 1000,
                Kind = kind,
                ResponseCode = kind == OutcomeKind.IssuerResponse ? OutcomeNotice.PackResponseCode(code) : (ushort)0,
            };
        });

    /// <summary>A valid log body: events and notices in any mix, sorted by time as the writer requires.</summary>
    private static Gen<EventLogRecord[]> Bodies =>
        Gen.ListOf(Gen.OneOf(
                ValidEvents.Select(e => new EventLogRecord { Kind = EventLogRecordKind.Event, Event = e.Event, Typology = e.Typology }),
                Notices.Select(n => new EventLogRecord { Kind = EventLogRecordKind.Notice, Notice = n })))
            .Select(list => list.OrderBy(r => r.TimestampUtcMs).ToArray());

    [Property(MaxTest = 200)]
    public Property Every_valid_record_sequence_reads_back_identical() =>
        Prop.ForAll(Bodies.ToArbitrary(), body =>
        {
            using var stream = new MemoryStream();
            using (var writer = new EventLogWriter(stream, LogSamples.Header, leaveOpen: true))
            {
                foreach (var r in body)
                {
                    if (r.Kind == EventLogRecordKind.Event) writer.WriteEvent(r.Event, r.Typology);
                    else writer.WriteNotice(r.Notice);
                }
                writer.Complete();
            }
            var back = LogSamples.ReadAll(stream.ToArray());
            if (back.Count != body.Length) return false;
            for (int i = 0; i < body.Length; i++)
            {
                if (back[i].Kind != body[i].Kind) return false;
                if (body[i].Kind == EventLogRecordKind.Event)
                {
                    if (!back[i].Event.Equals(body[i].Event) || back[i].Typology != body[i].Typology) return false;
                }
                else if (!back[i].Notice.Equals(body[i].Notice))
                {
                    return false;
                }
            }
            return true;
        });

    [Property(MaxTest = 100)]
    public Property Header_round_trips(string createdBy, string source, long? seed, bool truth) =>
        Prop.When(createdBy is not null && source is not null && createdBy.Length < 500 && source.Length < 500
            && !createdBy.Any(char.IsSurrogate) && !source.Any(char.IsSurrogate), () =>
        {
            var header = new EventLogHeader { CreatedBy = createdBy!, Source = source!, Seed = seed, HasGroundTruth = truth };
            using var stream = new MemoryStream();
            using (var writer = new EventLogWriter(stream, header, leaveOpen: true)) writer.Complete();
            using var reader = new EventLogReader(new MemoryStream(stream.ToArray()));
            return reader.Header == header && !reader.Read(out _);
        });
}
