using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Tokenization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Core.Tests.Tokenization;

public class TokenizerProperties
{
    /// <summary>Valid events spread over every field's range, including unknowns and edge values.</summary>
    internal static Gen<TransactionEvent> ValidEvents =>
        Gen.ArrayOf(Gen.Choose(0, int.MaxValue), 24).Select(r => Build(r));

    internal static TransactionEvent Build(int[] r)
    {
        var kinds = Enum.GetValues<TransactionKind>();
        var entries = Enum.GetValues<EntryMode>();
        var cvms = Enum.GetValues<CardholderVerification>();
        var kind = kinds[r[0] % kinds.Length];
        var entry = entries[r[1] % entries.Length];
        long amount = kind == TransactionKind.Void && r[2] % 5 == 0 ? 0 : 1 + (long)r[2] % (r[3] % 3 == 0 ? 1_000_000_000_000L - 1 : 200_000);
        bool chipEntry = entry is EntryMode.Chip or EntryMode.ContactlessChip;
        int binLength = 6 + r[4] % 3;
        uint binLow = binLength switch { 6 => 100_000u, 7 => 1_000_000u, _ => 10_000_000u };
        return new TransactionEvent
        {
            EventId = 1 + (ulong)r[5],
            TerminalId = TerminalId.Parse("T" + (r[6] % 3)),
            MerchantId = MerchantId.Parse("M" + (r[6] % 5)),
            OperatorId = (uint)(r[7] % 4),
            TimestampUtcMs = EventValidator.MinTimestampUtcMs + (long)r[8] * 1000 + r[9] % 1000,
            LocalOffsetMinutes = (short)(r[10] % 1561 - 720),
            Kind = kind,
            AmountMinor = amount,
            CashbackMinor = kind == TransactionKind.Purchase && r[11] % 4 == 0 ? amount / 3 : 0,
            CurrencyCode = (ushort)(1 + r[12] % 999),
            MerchantCategoryCode = (ushort)(1 + r[13] % 9999),
            TerminalCountry = (ushort)(1 + r[14] % 999),
            CardToken = Samples.Card(1 + r[15] % 50),
            Bin = new Bin(binLow + (uint)(r[16] % (int)(binLow * 9)), (byte)binLength),
            LastFour = (ushort)(r[17] % 10_000),
            Scheme = (CardScheme)(r[18] % 8),
            CardType = (CardType)(r[19] % 5),
            IssuerCountry = (ushort)(r[20] % 1000),
            ExpiryYyMm = (ushort)(r[21] % 7 == 0 ? 0 : (r[21] % 100) * 100 + 1 + r[21] % 12),
            ServiceCode = (ushort)(r[22] % 4 == 0 ? 0 : 100 + r[22] % 900),
            EntryMode = entry,
            Cvm = cvms[r[23] % cvms.Length],
            HasAtc = chipEntry && r[23] % 5 != 0,
            Atc = chipEntry && r[23] % 5 != 0 ? (ushort)r[9] : (ushort)0,
            Tvr = (TerminalVerificationResults)((ulong)(uint)r[3] << 8 & ((1UL << 40) - 1)),
            Cryptogram = chipEntry ? (CryptogramType)(r[11] % 4) : CryptogramType.None,
            Attended = r[12] % 2 == 0,
        };
    }

    [Property(MaxTest = 300)]
    public Property Every_valid_event_sequence_yields_ids_in_range() =>
        Prop.ForAll(Gen.ListOf(ValidEvents).Select(l => l.ToArray()).ToArbitrary(), events =>
        {
            var history = new TerminalHistory(History.TerminalHistoryTests.Small);
            Span<int> tokens = stackalloc int[Tokenizer.SequenceLength];
            foreach (var e in events)
            {
                if (!EventValidator.Validate(e).IsValid) return false;
                history.Describe(e, out var ctx);
                tokens.Fill(-1);
                Tokenizer.Tokenize(e, ctx, tokens);
                if (tokens[0] != Vocabulary.Cls) return false;
                foreach (int t in tokens)
                {
                    if (t < 0 || t >= Tokenizer.VocabularySize || t == Vocabulary.Mask || t == Vocabulary.Cls && tokens.IndexOf(t) != 0) return false;
                }
                // Field positions hold their own field's token or [UNK]; history positions hold history tokens or [PAD].
                for (int f = 0; f < (int)TokenField.RecentGapAndLink; f++)
                {
                    int t = tokens[Tokenizer.PositionOf((TokenField)f)];
                    if (t != Vocabulary.Unk && Vocabulary.FieldOf(t) != (TokenField)f) return false;
                }
                history.Observe(e);
            }
            return true;
        });

    [Property(MaxTest = 100)]
    public Property Equal_inputs_give_equal_outputs() =>
        Prop.ForAll(Gen.ListOf(ValidEvents).Select(l => l.ToArray()).ToArbitrary(), events =>
        {
            var a = new TerminalHistory(History.TerminalHistoryTests.Small);
            var b = new TerminalHistory(History.TerminalHistoryTests.Small);
            var ta = new int[Tokenizer.SequenceLength];
            var tb = new int[Tokenizer.SequenceLength];
            foreach (var e in events)
            {
                a.Describe(e, out var ca);
                b.Describe(e, out var cb);
                Tokenizer.Tokenize(e, ca, ta);
                Tokenizer.Tokenize(e, cb, tb);
                Tokenizer.Tokenize(e, ca, tb.AsSpan()); // and again from the same context
                if (!ta.AsSpan().SequenceEqual(tb)) return false;
                a.Observe(e);
                b.Observe(e);
            }
            return true;
        });

    [Fact]
    public void Layout_fills_exactly_48_positions()
    {
        Assert.Equal(Tokenizer.RecentStart, 1 + (int)TokenField.RecentGapAndLink);
        Assert.Equal(Tokenizer.SequenceLength, Tokenizer.RecentStart + 4 * Tokenizer.RecentGroupLength);
    }

    [Fact]
    public void Chip_card_swiped_is_its_own_token()
    {
        var e = Samples.Purchase();
        e.EntryMode = EntryMode.Swipe;
        e.Cryptogram = CryptogramType.None;
        e.HasAtc = false;
        e.Atc = 0;
        var tokens = new int[Tokenizer.SequenceLength];
        Tokenizer.Tokenize(e, default(EventContext) with { CardUsualAmountLog = -1, AtcDelta = int.MinValue, MsSinceCardLastSeen = -1, MsSinceTerminalPrevious = -1 }, tokens);
        Assert.Equal("EntryVsChip=chip_card_swiped", Vocabulary.Describe(tokens[Tokenizer.PositionOf(TokenField.EntryVsChip)]));
    }

    [Fact]
    public void Unknown_values_become_unk()
    {
        var e = Samples.Purchase();
        e.EntryMode = EntryMode.Unknown;
        e.Cryptogram = CryptogramType.None;
        e.IssuerCountry = 0;
        e.CardType = CardType.Unknown;
        var tokens = new int[Tokenizer.SequenceLength];
        Tokenizer.Tokenize(e, default, tokens);
        Assert.Equal(Vocabulary.Unk, tokens[Tokenizer.PositionOf(TokenField.EntryMode)]);
        Assert.Equal(Vocabulary.Unk, tokens[Tokenizer.PositionOf(TokenField.ForeignCard)]);
        Assert.Equal(Vocabulary.Unk, tokens[Tokenizer.PositionOf(TokenField.CardType)]);
    }

    [Fact]
    public void Local_hour_weekday_and_expiry_use_terminal_local_time()
    {
        var e = Samples.Purchase(); // 2026-03-02 12:00Z Monday, +60 min → 13:00 local
        e.ExpiryYyMm = 2603;        // expires this month
        var tokens = new int[Tokenizer.SequenceLength];
        Tokenizer.Tokenize(e, default, tokens);
        Assert.Equal("LocalHour=hour_13", Vocabulary.Describe(tokens[Tokenizer.PositionOf(TokenField.LocalHour)]));
        Assert.Equal("Weekday=mon", Vocabulary.Describe(tokens[Tokenizer.PositionOf(TokenField.Weekday)]));
        Assert.Equal("Expiry=expires_this_month", Vocabulary.Describe(tokens[Tokenizer.PositionOf(TokenField.Expiry)]));
        e.ExpiryYyMm = 2602;
        Tokenizer.Tokenize(e, default, tokens);
        Assert.Equal("Expiry=expired", Vocabulary.Describe(tokens[Tokenizer.PositionOf(TokenField.Expiry)]));
    }

    [Fact]
    public void Tokenize_allocates_nothing()
    {
        var e = Samples.Purchase();
        var history = new TerminalHistory(History.TerminalHistoryTests.Small);
        var tokens = new int[Tokenizer.SequenceLength];
        for (int i = 0; i < 100; i++) { history.Describe(e, out var c); Tokenizer.Tokenize(e, c, tokens); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            history.Describe(e, out var c);
            Tokenizer.Tokenize(e, c, tokens);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
