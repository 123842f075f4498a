using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Tests.History;

public class TerminalHistoryTests
{
    internal static HistoryLimits Small => new()
    {
        MaxTerminals = 2, RecentEventsPerTerminal = 16, CardCapacity = 64, BinCapacity = 16, OperatorCapacity = 16,
    };

    private static EventContext Observe(TerminalHistory h, in TransactionEvent e)
    {
        h.Describe(e, out var ctx);
        h.Observe(e);
        return ctx;
    }

    [Fact]
    public void First_event_knows_nothing()
    {
        var h = new TerminalHistory(Small);
        var ctx = Observe(h, Samples.Purchase());
        Assert.Equal(0, ctx.CardEvents);
        Assert.Equal(-1, ctx.MsSinceCardLastSeen);
        Assert.Equal(-1, ctx.MsSinceTerminalPrevious);
        Assert.Equal(int.MinValue, ctx.AtcDelta);
        Assert.Equal(0, ctx.RecentCount);
    }

    [Fact]
    public void Card_velocity_windows_count_prior_events()
    {
        var h = new TerminalHistory(Small);
        long t = Samples.Noon;
        Observe(h, Samples.Purchase(1, at: t - 20 * 3_600_000L));  // 20 h ago
        Observe(h, Samples.Purchase(2, at: t - 30 * 60_000L));      // 30 min ago
        Observe(h, Samples.Purchase(3, at: t - 5 * 60_000L));       // 5 min ago
        var ctx = Observe(h, Samples.Purchase(4, at: t));
        Assert.Equal(1, ctx.CardEvents10Min);
        Assert.Equal(2, ctx.CardEvents1Hour);
        Assert.Equal(3, ctx.CardEvents24Hours);
        Assert.Equal(3, ctx.CardEvents);
        Assert.Equal(5 * 60_000L, ctx.MsSinceCardLastSeen);
        Assert.Equal(1, ctx.AtcDelta); // Samples use ATC 100 + id
        Assert.Equal(3, ctx.RecentCount);
        Assert.Equal(3UL, ctx.Recent[0].EventId); // most recent first
    }

    [Fact]
    public void Card_testing_burst_counts_distinct_cards_and_declines()
    {
        var h = new TerminalHistory(Small);
        for (int i = 1; i <= 6; i++)
        {
            var e = Samples.Purchase((ulong)i, card: i, amountMinor: 50, at: Samples.Noon + i * 10_000);
            Observe(h, e);
            h.Record(new OutcomeNotice
            {
                EventId = (ulong)i, TerminalId = e.TerminalId, CardToken = e.CardToken, TimestampUtcMs = e.TimestampUtcMs + 2000,
                Kind = OutcomeKind.IssuerResponse, ResponseCode = OutcomeNotice.PackResponseCode("14"),
            });
        }
        var ctx = Observe(h, Samples.Purchase(7, card: 7, amountMinor: 50, at: Samples.Noon + 70_000));
        Assert.Equal(6, ctx.TerminalDistinctCards10Min);
        Assert.Equal(6, ctx.TerminalDeclines10Min);
        Assert.Equal(6, ctx.TerminalSmallAmounts10Min);
        Assert.Equal(6, ctx.BinDistinctCards10Min);
        Assert.Equal(6, ctx.BinDeclines10Min);
    }

    [Fact]
    public void Fraud_label_hot_lists_the_card_and_raises_terminal_risk()
    {
        var h = new TerminalHistory(Small);
        var e = Samples.Purchase(1, card: 9);
        Observe(h, e);
        Assert.True(h.Record(new OutcomeNotice
        {
            EventId = 1, TerminalId = e.TerminalId, CardToken = e.CardToken, TimestampUtcMs = e.TimestampUtcMs + 3 * 86_400_000L,
            Kind = OutcomeKind.FraudReported,
        }));
        var ctx = Observe(h, Samples.Purchase(2, card: 9, at: e.TimestampUtcMs + 4 * 86_400_000L));
        Assert.True(ctx.CardHotListed);
        Assert.Equal(1, ctx.CardFraudLabels);
        Assert.Equal(1, ctx.TerminalFraudLabels30Days);
        Assert.Equal(EventOutcome.Fraud, ctx.Recent[0].Outcome);
    }

    [Fact]
    public void Fraud_label_for_a_forgotten_card_still_hot_lists_it()
    {
        var h = new TerminalHistory(Small);
        var n = new OutcomeNotice
        {
            EventId = 99, TerminalId = TerminalId.Parse("T0001"), CardToken = Samples.Card(42), TimestampUtcMs = Samples.Noon,
            Kind = OutcomeKind.Chargeback,
        };
        Assert.False(h.Record(n));
        h.Describe(Samples.Purchase(1, card: 42, at: Samples.Noon + 1000), out var ctx);
        Assert.True(ctx.CardHotListed);
    }

    [Theory]
    [InlineData(65535, 1, 2)]   // wrap: 65535 → 1 is +2
    [InlineData(500, 500, 0)]   // repeat
    [InlineData(500, 400, -100)]
    public void Atc_delta_is_wrap_aware(int previous, int current, int expected)
    {
        var h = new TerminalHistory(Small);
        var first = Samples.Purchase(1);
        first.Atc = (ushort)previous;
        Observe(h, first);
        var second = Samples.Purchase(2, at: Samples.Noon + 60_000);
        second.Atc = (ushort)current;
        h.Describe(second, out var ctx);
        Assert.Equal(expected, ctx.AtcDelta);
    }

    [Fact]
    public void Refund_without_a_sale_here_counts_against_the_operator()
    {
        var h = new TerminalHistory(Small);
        for (int i = 1; i <= 3; i++)
        {
            var r = Samples.Purchase((ulong)i, card: 100 + i, at: Samples.Noon + i * 60_000);
            r.Kind = TransactionKind.Refund;
            var ctx = Observe(h, r);
            Assert.False(ctx.CardPurchasedHereBefore);
        }
        var sale = Samples.Purchase(10, card: 200, at: Samples.Noon + 600_000);
        Observe(h, sale);
        var matched = Samples.Purchase(11, card: 200, at: Samples.Noon + 700_000);
        matched.Kind = TransactionKind.Refund;
        var c = Observe(h, matched);
        Assert.True(c.CardPurchasedHereBefore);
        Assert.Equal(3, c.OperatorRefunds24Hours);
        Assert.Equal(3, c.OperatorUnmatchedRefunds24Hours);
    }

    [Fact]
    public void Tables_never_grow_and_eviction_is_deterministic()
    {
        var a = new TerminalHistory(Small);
        var b = new TerminalHistory(Small);
        long bytes = a.TableBytes;
        for (int i = 1; i <= 2_000; i++)
        {
            var e = Samples.Purchase((ulong)i, card: i, at: Samples.Noon + i * 1000);
            Observe(a, e);
            Observe(b, e);
        }
        Assert.Equal(bytes, a.TableBytes);
        using var sa = new MemoryStream();
        using var sb = new MemoryStream();
        HistorySnapshot.Write(a, sa);
        HistorySnapshot.Write(b, sb);
        Assert.Equal(sa.ToArray(), sb.ToArray());
        // The most recent card survives eviction; a card from the start has been evicted.
        a.Describe(Samples.Purchase(5000, card: 2_000, at: Samples.Noon + 3_000_000), out var recent);
        Assert.Equal(1, recent.CardEvents);
        a.Describe(Samples.Purchase(5001, card: 1, at: Samples.Noon + 3_000_000), out var old);
        Assert.Equal(0, old.CardEvents);
    }

    [Fact]
    public void Least_recently_seen_terminal_is_evicted()
    {
        var h = new TerminalHistory(Small); // 2 terminals
        var t1 = Samples.Purchase(1, at: Samples.Noon);
        var t2 = Samples.Purchase(2, at: Samples.Noon + 1000);
        t2.TerminalId = TerminalId.Parse("T0002");
        var t3 = Samples.Purchase(3, at: Samples.Noon + 2000);
        t3.TerminalId = TerminalId.Parse("T0003");
        Observe(h, t1);
        Observe(h, t2);
        Observe(h, t3);
        Assert.Equal(0, h.LastTimestamp(t1.TerminalId));
        Assert.Equal(t2.TimestampUtcMs, h.LastTimestamp(t2.TerminalId));
        Assert.Equal(t3.TimestampUtcMs, h.LastTimestamp(t3.TerminalId));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 4)]
    [InlineData(1000, 39)]
    [InlineData(1024, 40)]
    [InlineData(999_999_999_999, 159)]
    public void Quarter_log2_is_exact(long amount, int expected) => Assert.Equal(expected, AmountScale.QuarterLog2(amount));

    [Fact]
    public void Quarter_log2_matches_floating_point_away_from_boundaries()
    {
        for (long a = 2; a < 10_000_000; a = a * 3 / 2 + 1)
        {
            double exact = 4 * Math.Log2(a);
            if (Math.Abs(exact - Math.Round(exact)) < 1e-9) continue;
            Assert.Equal((int)Math.Floor(exact), AmountScale.QuarterLog2(a));
        }
    }

    [Fact]
    public void One_far_future_clock_does_not_wedge_the_terminal()
    {
        var h = new TerminalHistory(Small);
        Observe(h, Samples.Purchase(1, at: Samples.Noon));
        var broken = Samples.Purchase(2, at: Samples.Noon + 300 * 86_400_000L); // a clock 300 days ahead, once
        Assert.True(EventValidator.Validate(broken, h.LastTimestamp(broken.TerminalId)).IsValid);
        Observe(h, broken);
        for (int i = 3; i < 20; i++)
        {
            var e = Samples.Purchase((ulong)i, at: Samples.Noon + i * 60_000L);
            Assert.True(EventValidator.Validate(e, h.LastTimestamp(e.TerminalId)).IsValid, $"event {i} rejected after one bad clock");
            Observe(h, e);
        }
    }

    [Fact]
    public void A_confirmed_clock_jump_is_believed()
    {
        var h = new TerminalHistory(Small);
        Observe(h, Samples.Purchase(1, at: Samples.Noon));
        long later = Samples.Noon + 60 * 86_400_000L; // back from two months offline
        Observe(h, Samples.Purchase(2, at: later));
        Assert.Equal(Samples.Noon, h.LastTimestamp(TerminalId.Parse("T0001")));
        Observe(h, Samples.Purchase(3, at: later + 60_000));
        Assert.Equal(later + 60_000, h.LastTimestamp(TerminalId.Parse("T0001")));
    }

    [Fact]
    public void Traffic_cannot_push_a_hot_listed_card_off_the_exception_file()
    {
        var h = new TerminalHistory(Small); // 64 cards
        var stolen = Samples.Purchase(1, card: 424_242);
        Observe(h, stolen);
        h.Record(new OutcomeNotice
        {
            EventId = 1, TerminalId = stolen.TerminalId, CardToken = stolen.CardToken, TimestampUtcMs = Samples.Noon + 1000,
            Kind = OutcomeKind.FraudReported,
        });
        for (int i = 2; i < 5_000; i++) Observe(h, Samples.Purchase((ulong)i, card: i, at: Samples.Noon + i * 1000L)); // a card-testing bot
        h.Describe(Samples.Purchase(9_999, card: 424_242, at: Samples.Noon + 6_000_000), out var ctx);
        Assert.Equal(0, ctx.CardEvents);   // the card table forgot the card…
        Assert.True(ctx.CardHotListed);    // …the exception file did not
    }
}
