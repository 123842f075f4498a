using FraudEdge.Core.Events;

namespace FraudEdge.Bench;

/// <summary>
/// A pre-generated, realistic stream for one supermarket terminal (the entry-a53 profile serves one):
/// a pool of cards where regulars come back (so card history, ATC deltas and refund matching are live),
/// log-normal basket amounts, the entry-mode and CVM mix of a European contactless-first store, refunds,
/// voids, pre-authorisations, cashback, a few chip-card swipes and fallbacks, and two card-testing bursts.
/// Every event passes <see cref="EventValidator"/>; the benchmarks check that none is rejected, because a
/// rejection returns early and would make the engine look faster than it is.
/// Deterministic (fixed seed): every run benchmarks the same stream.
/// </summary>
public sealed class TerminalDay
{
    /// <summary>2026-03-02T07:00:00Z, a Monday.</summary>
    public const long Start = 1_772_434_800_000;

    private TerminalDay(TransactionEvent[] events, ushort[] atcAdvancePerLap, long spanMs)
    {
        Events = events;
        AtcAdvancePerLap = atcAdvancePerLap;
        SpanMs = spanMs;
    }

    public TransactionEvent[] Events { get; }

    /// <summary>For event i: how far its card's ATC moves in one pass over the stream, so a second pass
    /// continues each card's counter instead of repeating it (a repeated ATC is a clone signal).</summary>
    public ushort[] AtcAdvancePerLap { get; }

    /// <summary>Time one pass covers plus a gap; added to timestamps on each new pass.</summary>
    public long SpanMs { get; }

    /// <summary>Event <paramref name="index"/> as it occurs on pass <paramref name="lap"/> (0 = as generated).</summary>
    public TransactionEvent At(int index, long lap)
    {
        TransactionEvent e = Events[index];
        if (lap == 0) return e;
        e.TimestampUtcMs += lap * SpanMs;
        e.EventId += (ulong)(lap * Events.Length);
        if (e.HasAtc) e.Atc = (ushort)(e.Atc + lap * AtcAdvancePerLap[index]);
        return e;
    }

    private readonly record struct CardProfile(CardToken Token, Bin Bin, ushort LastFour, CardScheme Scheme, CardType Type,
        ushort IssuerCountry, ushort Expiry, ushort ServiceCode);

    public static TerminalDay Generate(int count = 8192, int seed = 20261128)
    {
        var rng = new Random(seed);
        var terminal = TerminalId.Parse("SUPER-0042-L01");
        var merchant = MerchantId.Parse("M4711000000042");
        (uint Digits, byte Length, CardScheme Scheme)[] bins =
        [
            (411111, 6, CardScheme.Visa), (455673, 6, CardScheme.Visa), (492181, 6, CardScheme.Visa), (40001234, 8, CardScheme.Visa),
            (520000, 6, CardScheme.Mastercard), (535522, 6, CardScheme.Mastercard), (51234567, 8, CardScheme.Mastercard),
            (672000, 6, CardScheme.Domestic), (672001, 6, CardScheme.Domestic), (377777, 6, CardScheme.Amex), (6011000, 7, CardScheme.Discover),
        ];
        ushort[] foreignCountries = [250, 380, 724, 826, 840, 156];

        var cards = new CardProfile[3000];
        var atc = new ushort[cards.Length];
        var firstAtc = new int[cards.Length];
        var lastAtc = new int[cards.Length];
        for (int c = 0; c < cards.Length; c++)
        {
            var (digits, length, scheme) = bins[rng.Next(bins.Length)];
            bool foreign = rng.NextDouble() < 0.08;
            cards[c] = new CardProfile(
                new CardToken(new UInt128(0xBE7C_0000_0000_0000UL + (uint)c, (ulong)rng.NextInt64())),
                new Bin(digits, length), (ushort)rng.Next(0, 10_000), scheme,
                rng.NextDouble() < 0.75 ? CardType.Debit : rng.NextDouble() < 0.8 ? CardType.Credit : CardType.Prepaid,
                foreign ? foreignCountries[rng.Next(foreignCountries.Length)] : (ushort)276,
                (ushort)((26 + rng.Next(0, 5)) * 100 + rng.Next(1, 13)),
                rng.NextDouble() < 0.97 ? (ushort)201 : (ushort)101);
            atc[c] = (ushort)rng.Next(1, 900);
            firstAtc[c] = -1;
        }

        var events = new TransactionEvent[count];
        var cardOf = new int[count];
        long t = Start;
        int burstsLeft = 2;
        int burstAt = count / 3, burstRemaining = 0;
        for (int i = 0; i < count; i++)
        {
            bool burst = false;
            if (i == burstAt && burstsLeft > 0) { burstRemaining = 20; burstsLeft--; burstAt += count / 3; }
            if (burstRemaining > 0) { burst = true; burstRemaining--; }

            t += burst ? 4_000 + rng.Next(0, 6_000) : 2_000 + (long)(-Math.Log(1 - rng.NextDouble()) * 9_000);
            // Regulars: a quadratic skew towards the start of the pool; bursts use fresh cards of one BIN.
            int card = burst ? 2_900 + rng.Next(0, 100) : (int)(cards.Length * 0.96 * Math.Pow(rng.NextDouble(), 2));
            CardProfile cp = cards[card];

            var kindRoll = rng.NextDouble();
            TransactionKind kind = burst ? TransactionKind.Purchase
                : kindRoll < 0.95 ? TransactionKind.Purchase : kindRoll < 0.97 ? TransactionKind.Refund
                : kindRoll < 0.98 ? TransactionKind.Void : kindRoll < 0.99 ? TransactionKind.PreAuthorization : TransactionKind.Completion;
            long amount = burst ? 1 + rng.Next(0, 150)
                : Math.Clamp((long)Math.Exp(Math.Log(2_500) + 0.9 * Gaussian(rng)), 49, 150_000);
            if (kind == TransactionKind.Void) amount = 0;

            double m = rng.NextDouble();
            EntryMode entry = burst ? EntryMode.KeyEntered
                : m < 0.72 ? EntryMode.ContactlessChip : m < 0.92 ? EntryMode.Chip : m < 0.95 ? EntryMode.Swipe
                : m < 0.96 ? EntryMode.ChipFallbackSwipe : m < 0.98 ? EntryMode.KeyEntered : EntryMode.ContactlessMagstripe;
            bool chipRead = entry is EntryMode.Chip or EntryMode.ContactlessChip;
            CardholderVerification cvm = entry switch
            {
                EntryMode.ContactlessChip => amount <= 5_000 ? CardholderVerification.None
                    : rng.NextDouble() < 0.6 ? CardholderVerification.ConsumerDevice : CardholderVerification.OnlinePin,
                EntryMode.Chip => rng.NextDouble() < 0.7 ? CardholderVerification.OfflinePin : CardholderVerification.OnlinePin,
                EntryMode.KeyEntered => CardholderVerification.None,
                EntryMode.ContactlessMagstripe => CardholderVerification.None,
                _ => CardholderVerification.Signature,
            };
            long cashback = kind == TransactionKind.Purchase && entry == EntryMode.Chip && rng.NextDouble() < 0.05 ? 2_000 : 0;

            ushort eventAtc = 0;
            if (chipRead)
            {
                atc[card] = (ushort)(atc[card] + 1 + (rng.NextDouble() < 0.2 ? rng.Next(1, 4) : 0)); // uses elsewhere in between
                eventAtc = atc[card];
                if (firstAtc[card] < 0) firstAtc[card] = eventAtc;
                lastAtc[card] = eventAtc;
            }

            events[i] = new TransactionEvent
            {
                EventId = (ulong)(i + 1),
                TerminalId = terminal,
                MerchantId = merchant,
                Lane = 1,
                OperatorId = burst ? 0u : (uint)(1 + (i / 400) % 4), // shifts of four cashiers
                TimestampUtcMs = t,
                LocalOffsetMinutes = 60,
                Kind = kind,
                AmountMinor = amount + cashback,
                CashbackMinor = cashback,
                CurrencyCode = 978,
                MerchantCategoryCode = burst ? (ushort)5999 : (ushort)5411,
                TerminalCountry = 276,
                CardToken = cp.Token,
                Bin = burst ? new Bin(455673, 6) : cp.Bin,
                LastFour = cp.LastFour,
                Scheme = burst ? CardScheme.Visa : cp.Scheme,
                CardType = cp.Type,
                IssuerCountry = cp.IssuerCountry,
                ExpiryYyMm = cp.Expiry,
                ServiceCode = cp.ServiceCode,
                EntryMode = entry,
                Cvm = cvm,
                Atc = eventAtc,
                HasAtc = chipRead,
                Tvr = entry == EntryMode.ChipFallbackSwipe ? TerminalVerificationResults.IccDataMissing
                    : amount > 5_000 ? TerminalVerificationResults.ExceedsFloorLimit : TerminalVerificationResults.None,
                Cryptogram = chipRead ? CryptogramType.Arqc : CryptogramType.None,
                Attended = !burst,
            };
            cardOf[i] = card;
        }

        var advance = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            int c = cardOf[i];
            advance[i] = firstAtc[c] < 0 ? (ushort)0 : (ushort)(lastAtc[c] - firstAtc[c] + 1);
        }
        return new TerminalDay(events, advance, t - Start + 60_000);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
