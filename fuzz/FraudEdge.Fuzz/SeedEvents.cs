using FraudEdge.Core.Events;

namespace FraudEdge.Fuzz;

/// <summary>
/// Valid, realistic events for the seed corpus and the snapshot probes: a grocery terminal's day, a
/// card-testing burst, fallback swipes and ATC anomalies, several terminals, and boundary values. Cards are
/// tokens made from serial numbers; no PAN appears anywhere in the fuzz corpus.
/// </summary>
public static class SeedEvents
{
    /// <summary>2026-03-02T08:00:00Z, a Monday morning.</summary>
    public const long Morning = 1_772_438_400_000;

    public static readonly TerminalId Terminal = TerminalId.Parse("T0001");
    public static readonly TerminalId SecondTerminal = TerminalId.Parse("T0002");
    public static readonly TerminalId ThirdTerminal = TerminalId.Parse("LANE-03");
    public static readonly MerchantId Merchant = MerchantId.Parse("M000000000001");

    public static CardToken Card(int serial) => new(new UInt128(0xF022_0000_0000_0001, (ulong)serial * 0x9E3779B97F4A7C15UL + 1));

    public static TransactionEvent Purchase(ulong id, int card, long amountMinor, long at) => new()
    {
        EventId = id,
        TerminalId = Terminal,
        MerchantId = Merchant,
        Lane = 1,
        OperatorId = 7,
        TimestampUtcMs = at,
        LocalOffsetMinutes = 60,
        Kind = TransactionKind.Purchase,
        AmountMinor = amountMinor,
        CurrencyCode = 978,
        MerchantCategoryCode = 5411,
        TerminalCountry = 276,
        CardToken = Card(card),
        Bin = new Bin(411111, 6),
        LastFour = (ushort)(1000 + card % 9000),
        Scheme = CardScheme.Visa,
        CardType = CardType.Debit,
        IssuerCountry = 276,
        ExpiryYyMm = 2812,
        ServiceCode = 201,
        EntryMode = EntryMode.ContactlessChip,
        Cvm = CardholderVerification.None,
        Atc = (ushort)(40 + id % 500),
        HasAtc = true,
        Tvr = TerminalVerificationResults.None,
        Cryptogram = CryptogramType.Arqc,
        Attended = true,
    };

    public static OutcomeNotice Response(in TransactionEvent evt, string code) => new()
    {
        EventId = evt.EventId, TerminalId = evt.TerminalId, CardToken = evt.CardToken,
        TimestampUtcMs = evt.TimestampUtcMs + 1_500, Kind = OutcomeKind.IssuerResponse,
        ResponseCode = OutcomeNotice.PackResponseCode(code),
    };

    public static OutcomeNotice FraudLabel(in TransactionEvent evt, long daysLater) => new()
    {
        EventId = evt.EventId, TerminalId = evt.TerminalId, CardToken = evt.CardToken,
        TimestampUtcMs = evt.TimestampUtcMs + daysLater * 86_400_000, Kind = OutcomeKind.FraudReported,
    };

    /// <summary>What <see cref="Targets.SnapshotTarget"/> sends after restoring: same terminal and cards as the
    /// seed stream, so mutated rows of a restored snapshot are the rows these lookups hit.</summary>
    public static ReadOnlySpan<TransactionEvent> Probes => ProbeArray;

    private static readonly TransactionEvent[] ProbeArray = BuildProbes();

    private static TransactionEvent[] BuildProbes()
    {
        long t = Morning + 10 * 3_600_000L;
        var contactless = Purchase(9_001, card: 3, amountMinor: 1_845, at: t);
        var fallback = Purchase(9_002, card: 5, amountMinor: 48_000, at: t + 30_000) with
        {
            EntryMode = EntryMode.ChipFallbackSwipe, Cryptogram = CryptogramType.None, HasAtc = false, Atc = 0,
            Cvm = CardholderVerification.Signature,
        };
        var refund = Purchase(9_003, card: 11, amountMinor: 9_999, at: t + 60_000) with
        {
            Kind = TransactionKind.Refund, Cryptogram = CryptogramType.None, EntryMode = EntryMode.KeyEntered, HasAtc = false, Atc = 0,
        };
        var small = Purchase(9_004, card: 101, amountMinor: 50, at: t + 61_000) with { Bin = new Bin(52000012, 8), Scheme = CardScheme.Mastercard };
        var otherLane = Purchase(9_005, card: 3, amountMinor: 2_200, at: t + 62_000) with { TerminalId = ThirdTerminal, Lane = 3, OperatorId = 0 };
        var repeatAtc = contactless with { EventId = 9_006, TimestampUtcMs = t + 63_000 };
        return [contactless, fallback, refund, small, otherLane, repeatAtc];
    }

    /// <summary>One event as a corpus record (tag 0 + 125 bytes).</summary>
    public static void AddEvent(List<byte> output, in TransactionEvent evt)
    {
        Span<byte> record = stackalloc byte[1 + EventLayout.EventSize];
        record[0] = 0;
        EventLayout.WriteEvent(evt, record[1..]);
        foreach (byte b in record) output.Add(b);
    }

    /// <summary>One outcome notice as a corpus record (tag 1 + 51 bytes).</summary>
    public static void AddNotice(List<byte> output, in OutcomeNotice notice)
    {
        Span<byte> record = stackalloc byte[1 + EventLayout.NoticeSize];
        record[0] = 1;
        EventLayout.WriteNotice(notice, record[1..]);
        foreach (byte b in record) output.Add(b);
    }

    /// <summary>A grocery morning: contactless purchases from a pool of regular cards, issuer responses,
    /// a void, a refund matched to an earlier sale, a cashback purchase.</summary>
    public static byte[] GroceryMorning()
    {
        var rng = new Random(20261128);
        var bytes = new List<byte>();
        long t = Morning;
        for (int i = 1; i <= 20; i++)
        {
            t += 20_000 + rng.Next(0, 90_000);
            int card = rng.Next(1, 12);
            var e = Purchase((ulong)i, card, amountMinor: 300 + rng.Next(0, 8_000), at: t);
            if (i % 7 == 0) e = e with { EntryMode = EntryMode.Chip, Cvm = CardholderVerification.OfflinePin };
            if (i == 9) e = e with { CashbackMinor = 2_000, AmountMinor = 6_500, EntryMode = EntryMode.Chip, Cvm = CardholderVerification.OnlinePin };
            if (i == 12) e = e with { Kind = TransactionKind.Void, AmountMinor = 0, Cryptogram = CryptogramType.None };
            if (i == 15) e = e with { Kind = TransactionKind.Refund, CardToken = Card(3), Cryptogram = CryptogramType.None, AmountMinor = 1_200 };
            AddEvent(bytes, e);
            if (i % 3 == 0) AddNotice(bytes, Response(e, i % 9 == 0 ? "51" : "00"));
        }
        return [.. bytes];
    }

    /// <summary>A card-testing bot at an unattended kiosk: many cards of one BIN range, tiny amounts, keyed
    /// entry, declines coming back.</summary>
    public static byte[] CardTestingBurst()
    {
        var bytes = new List<byte>();
        long t = Morning + 3_600_000;
        for (int i = 0; i < 14; i++)
        {
            var e = Purchase((ulong)(100 + i), card: 500 + i, amountMinor: 1 + i % 3, at: t + i * 9_000) with
            {
                EntryMode = EntryMode.KeyEntered, Cryptogram = CryptogramType.None, HasAtc = false, Atc = 0, Attended = false,
                OperatorId = 0, Bin = new Bin(4000123, 7), Cvm = CardholderVerification.None, CardType = CardType.Prepaid,
                IssuerCountry = 840, MerchantCategoryCode = 5999,
            };
            AddEvent(bytes, e);
            AddNotice(bytes, Response(e, i % 4 == 3 ? "00" : "05"));
        }
        return [.. bytes];
    }

    /// <summary>Chip cards swiped, declared fallbacks, ATC repeats and jumps, TVR bits, a foreign expired card,
    /// a cash advance and a late fraud label.</summary>
    public static byte[] FallbackAndAtc()
    {
        var bytes = new List<byte>();
        long t = Morning + 2 * 3_600_000;
        var chip = Purchase(200, card: 7, amountMinor: 12_000, at: t) with { EntryMode = EntryMode.Chip, Cvm = CardholderVerification.OfflinePin, Atc = 300 };
        AddEvent(bytes, chip);
        AddEvent(bytes, chip with { EventId = 201, TimestampUtcMs = t + 60_000, Atc = 300 });  // repeated ATC: a clone
        AddEvent(bytes, chip with { EventId = 202, TimestampUtcMs = t + 120_000, Atc = 250 }); // backwards
        AddEvent(bytes, chip with { EventId = 203, TimestampUtcMs = t + 180_000, Atc = 2_000 }); // jump
        var swiped = chip with
        {
            EventId = 204, TimestampUtcMs = t + 240_000, EntryMode = EntryMode.Swipe, Cryptogram = CryptogramType.None,
            HasAtc = false, Atc = 0, Cvm = CardholderVerification.Signature, AmountMinor = 89_900, MerchantCategoryCode = 5732,
        };
        AddEvent(bytes, swiped);
        var fallback = swiped with { EventId = 205, TimestampUtcMs = t + 260_000, EntryMode = EntryMode.ChipFallbackSwipe, CardToken = Card(8) };
        AddEvent(bytes, fallback);
        var tvr = chip with
        {
            EventId = 206, TimestampUtcMs = t + 300_000, CardToken = Card(9), Atc = 12,
            Tvr = TerminalVerificationResults.CardOnExceptionFile | TerminalVerificationResults.PinTryLimitExceeded
                | TerminalVerificationResults.ExpiredApplication | TerminalVerificationResults.UpperConsecutiveOfflineLimitExceeded,
            Cryptogram = CryptogramType.Aac, Cvm = CardholderVerification.Failed,
        };
        AddEvent(bytes, tvr);
        var foreign = chip with
        {
            EventId = 207, TimestampUtcMs = t + 330_000, CardToken = Card(10), IssuerCountry = 156, Scheme = CardScheme.UnionPay,
            CardType = CardType.Credit, ExpiryYyMm = 2601, Atc = 5, Kind = TransactionKind.CashAdvance, MerchantCategoryCode = 6010,
        };
        AddEvent(bytes, foreign);
        AddNotice(bytes, FraudLabel(swiped, daysLater: 6));
        AddEvent(bytes, swiped with { EventId = 208, TimestampUtcMs = t + 400_000 }); // the hot-listed card comes back
        return [.. bytes];
    }

    /// <summary>Three terminals on a history sized for two: terminal eviction, and events interleaved across lanes.</summary>
    public static byte[] ThreeLanes()
    {
        var bytes = new List<byte>();
        long t = Morning + 5 * 3_600_000;
        TerminalId[] lanes = [Terminal, SecondTerminal, ThirdTerminal];
        for (int i = 0; i < 12; i++)
        {
            var e = Purchase((ulong)(300 + i), card: 20 + i % 5, amountMinor: 1_000 + 250 * i, at: t + i * 15_000) with
            {
                TerminalId = lanes[i % 3], Lane = (ushort)(1 + i % 3), OperatorId = (uint)(10 + i % 3),
            };
            if (i % 4 == 1) e = e with { Kind = TransactionKind.Refund, Cryptogram = CryptogramType.None, HasAtc = false, Atc = 0 };
            AddEvent(bytes, e);
            if (i == 6) AddNotice(bytes, FraudLabel(e, daysLater: 30) with { Kind = OutcomeKind.Chargeback });
        }
        return [.. bytes];
    }

    /// <summary>Values at the edges of what the validator accepts.</summary>
    public static byte[] EdgeValues()
    {
        var bytes = new List<byte>();
        long t = EventValidator.MinTimestampUtcMs;
        var first = Purchase(1, card: 1, amountMinor: EventValidator.MaxAmountMinor, at: t) with
        {
            LocalOffsetMinutes = -720, Bin = new Bin(99999999, 8), ExpiryYyMm = 9912, ServiceCode = 999, LastFour = 9999,
            Tvr = (TerminalVerificationResults)((1UL << 40) - 1), Atc = ushort.MaxValue, CurrencyCode = 999,
            MerchantCategoryCode = 9999, TerminalCountry = 999, IssuerCountry = 999,
        };
        AddEvent(bytes, first);
        AddEvent(bytes, first with { EventId = ulong.MaxValue, TimestampUtcMs = t + EventValidator.MaxForwardJumpMs, LocalOffsetMinutes = 840, Atc = 0 });
        AddEvent(bytes, first with
        {
            EventId = 3, TimestampUtcMs = t + EventValidator.MaxForwardJumpMs - EventValidator.MaxBackwardSkewMs, Kind = TransactionKind.Void,
            AmountMinor = 0, Bin = new Bin(100000, 6), ExpiryYyMm = 0, ServiceCode = 0, HasAtc = false, Atc = 0,
            Cryptogram = CryptogramType.None, EntryMode = EntryMode.Unknown, Cvm = CardholderVerification.Unknown,
            Scheme = CardScheme.Unknown, CardType = CardType.Unknown, IssuerCountry = 0, Tvr = TerminalVerificationResults.None,
        });
        AddEvent(bytes, first with { EventId = 4, TimestampUtcMs = EventValidator.MaxTimestampUtcMs - 1, Kind = TransactionKind.Unknown, CashbackMinor = EventValidator.MaxAmountMinor });
        return [.. bytes];
    }

    /// <summary>A single contactless purchase on an empty history.</summary>
    public static byte[] SinglePurchase()
    {
        var bytes = new List<byte>();
        AddEvent(bytes, Purchase(1, card: 1, amountMinor: 2_350, at: Morning));
        return [.. bytes];
    }
}
