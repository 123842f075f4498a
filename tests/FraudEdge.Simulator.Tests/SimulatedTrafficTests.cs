using FraudEdge.Core.Events;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Simulator.Tests;

/// <summary>Statistical and validity checks on one two-week, 40-terminal simulation.</summary>
public class SimulatedTrafficTests
{
    private readonly SimulatedLog log = SimulatedLog.Shared;

    private IEnumerable<EventLogRecord> Events => log.Records.Where(r => r.Kind == EventLogRecordKind.Event);
    private IEnumerable<EventLogRecord> Notices => log.Records.Where(r => r.Kind == EventLogRecordKind.Notice);

    [Fact]
    public void Every_event_passes_the_core_validator_with_its_terminal_clock()
    {
        var last = new Dictionary<TerminalId, long>();
        int count = 0;
        foreach (var r in Events)
        {
            var result = EventValidator.Validate(r.Event, last.GetValueOrDefault(r.Event.TerminalId));
            Assert.True(result.IsValid, $"event {r.Event.EventId}: {result}");
            last[r.Event.TerminalId] = r.Event.TimestampUtcMs;
            count++;
        }
        Assert.Equal(log.Summary.Events, count);
        Assert.True(count > 100_000, $"only {count} events");
        Assert.All(Notices, r => Assert.True(EventValidator.Validate(r.Notice).IsValid));
    }

    [Fact]
    public void Event_ids_are_unique_and_every_notice_follows_its_event()
    {
        var seen = new Dictionary<ulong, long>();
        foreach (var r in log.Records)
        {
            if (r.Kind == EventLogRecordKind.Event)
            {
                Assert.True(seen.TryAdd(r.Event.EventId, r.Event.TimestampUtcMs), $"duplicate event id {r.Event.EventId}");
            }
            else
            {
                Assert.True(seen.TryGetValue(r.Notice.EventId, out long at), $"notice for unknown event {r.Notice.EventId}");
                Assert.True(r.Notice.TimestampUtcMs > at);
            }
        }
    }

    [Fact]
    public void Overall_fraud_rate_and_typology_rates_stay_within_documented_bounds()
    {
        var s = log.Summary;
        Assert.InRange(s.FraudRate, 0.005, 0.015);
        // docs/simulator.md "Typology shares": each typology's share of all events.
        (FraudTypology T, double Min, double Max)[] bounds =
        [
            (FraudTypology.CardTesting, 0.0005, 0.0050),
            (FraudTypology.SkimmedClone, 0.0005, 0.0030),
            (FraudTypology.KeyEnteredAttended, 0.0002, 0.0015),
            (FraudTypology.StolenCardSpree, 0.0005, 0.0030),
            (FraudTypology.RefundAbuse, 0.0002, 0.0015),
            (FraudTypology.AtcAnomaly, 0.0002, 0.0015),
            (FraudTypology.ContactlessOverLimit, 0.0005, 0.0025),
        ];
        foreach (var (t, min, max) in bounds)
            Assert.True(s.TypologyRate(t) >= min && s.TypologyRate(t) <= max, $"{t}: {s.TypologyRate(t):P3} outside [{min:P2}, {max:P2}]");
        // The counts in the summary are the counts in the file.
        foreach (var t in FraudTypologies.Fraud)
            Assert.Equal(s.EventsByTypology[(int)t], Events.Count(r => r.Typology == t));
    }

    [Fact]
    public void Fraud_labels_arrive_late_and_some_never()
    {
        var eventTime = Events.ToDictionary(r => r.Event.EventId, r => (r.Event.TimestampUtcMs, r.Typology));
        var reportDelays = new List<double>();
        var chargebackDelays = new List<double>();
        var labelled = new HashSet<ulong>();
        foreach (var r in Notices.Where(n => n.Notice.IsFraudLabel))
        {
            var (at, _) = eventTime[r.Notice.EventId];
            double days = (r.Notice.TimestampUtcMs - at) / 86_400_000.0;
            (r.Notice.Kind == OutcomeKind.Chargeback ? chargebackDelays : reportDelays).Add(days);
            labelled.Add(r.Notice.EventId);
        }
        reportDelays.Sort();
        Assert.InRange(reportDelays[reportDelays.Count / 2], 1.0, 10.0); // median fraud report: days later
        Assert.True(chargebackDelays.Min() >= 20, "chargebacks come weeks later");
        long fraudUnlabelled = eventTime.Count(e => e.Value.Typology != FraudTypology.Legitimate && !labelled.Contains(e.Key));
        Assert.InRange(fraudUnlabelled / (double)log.Summary.FraudEvents, 0.05, 0.40);
        // Issuer responses come seconds after the event.
        Assert.All(Notices.Where(n => n.Notice.Kind == OutcomeKind.IssuerResponse).Take(5000),
            r => Assert.InRange(r.Notice.TimestampUtcMs - eventTime[r.Notice.EventId].TimestampUtcMs, 500, 5000));
    }

    [Theory]
    [InlineData(ObservableSignal.ChipFallback)]
    [InlineData(ObservableSignal.ChipCardSwiped)]
    [InlineData(ObservableSignal.KeyEntered)]
    [InlineData(ObservableSignal.ForeignCard)]
    [InlineData(ObservableSignal.RefundWithoutPurchaseHere)]
    [InlineData(ObservableSignal.ContactlessOverLimitNoCvm)]
    [InlineData(ObservableSignal.AtcRepeatOrJump)]
    [InlineData(ObservableSignal.NightHighValue)]
    [InlineData(ObservableSignal.HighValueWithoutPin)]
    [InlineData(ObservableSignal.SmallAmount)]
    [InlineData(ObservableSignal.Declined)]
    public void Every_fraud_signal_also_occurs_in_genuine_traffic(ObservableSignal signal)
    {
        long genuine = log.Summary.Signal(signal, fraud: false), fraud = log.Summary.Signal(signal, fraud: true);
        Assert.True(fraud > 0, $"{signal}: no fraud event shows it");
        // A rule on this signal alone would decline at least one genuine customer for every four fraudsters.
        Assert.True(genuine >= 0.25 * fraud, $"{signal}: {genuine} genuine vs {fraud} fraud: the signal alone separates fraud");
    }

    [Fact]
    public void The_atc_advances_per_card_across_merchants()
    {
        var lastAtc = new Dictionary<CardToken, (int Atc, TerminalId Terminal)>();
        int increases = 0, otherTerminal = 0, compared = 0;
        foreach (var r in Events.Where(r => r.Typology == FraudTypology.Legitimate && r.Event.HasAtc))
        {
            if (lastAtc.TryGetValue(r.Event.CardToken, out var prev))
            {
                compared++;
                int delta = (r.Event.Atc - prev.Atc) & 0xFFFF;
                if (delta is > 0 and < 0x8000) increases++;
                if (prev.Terminal != r.Event.TerminalId) otherTerminal++;
            }
            lastAtc[r.Event.CardToken] = (r.Event.Atc, r.Event.TerminalId);
        }
        Assert.True(compared > 10_000);
        Assert.True(increases > 0.99 * compared, $"{increases} of {compared} genuine ATCs increase");
        Assert.True(otherTerminal > 0.5 * compared, "cards are seen at several terminals");
    }

    [Fact]
    public void Traffic_follows_daily_and_weekly_cycles()
    {
        var byHour = new long[24];
        var byWeekday = new long[7];
        foreach (var r in Events)
        {
            long local = r.Event.TimestampUtcMs + r.Event.LocalOffsetMinutes * 60_000L;
            byHour[local / 3_600_000 % 24]++;
            byWeekday[(int)((local / 86_400_000 + 3) % 7)]++; // Monday = 0
        }
        Assert.True(byHour[12] > 5 * byHour[3], "midday is far busier than 3 am");
        Assert.True(byHour[3] > 0, "24-hour merchants trade at night");
        Assert.True(byWeekday[5] > byWeekday[6], "Saturday is busier than Sunday (shops closed)");
    }

    [Fact]
    public void Typologies_show_their_terminal_observable_traits()
    {
        var testing = Events.Where(r => r.Typology == FraudTypology.CardTesting).ToList();
        Assert.True(testing.Average(r => r.Event.AmountMinor) < 1000);
        Assert.True(testing.Select(r => r.Event.CardToken).Distinct().Count() > 0.7 * testing.Count);
        var skims = Events.Where(r => r.Typology == FraudTypology.SkimmedClone).ToList();
        Assert.All(skims, r => Assert.True(r.Event.EntryMode is EntryMode.Swipe or EntryMode.ChipFallbackSwipe && r.Event.IsChipCard));
        Assert.All(Events.Where(r => r.Typology == FraudTypology.KeyEnteredAttended), r => Assert.True(r.Event.EntryMode == EntryMode.KeyEntered && r.Event.Attended));
        Assert.All(Events.Where(r => r.Typology == FraudTypology.RefundAbuse), r => Assert.Equal(TransactionKind.Refund, r.Event.Kind));
        Assert.All(Events.Where(r => r.Typology == FraudTypology.ContactlessOverLimit),
            r => Assert.True(r.Event.EntryMode == EntryMode.ContactlessChip && r.Event.AmountMinor > 5000 && r.Event.Cvm == CardholderVerification.None));
        Assert.All(Events.Where(r => r.Typology == FraudTypology.AtcAnomaly), r => Assert.True(r.Event.HasAtc));
        var refundOperators = Events.Where(r => r.Typology == FraudTypology.RefundAbuse).GroupBy(r => (r.Event.MerchantId, r.Event.OperatorId));
        Assert.All(refundOperators, g => Assert.NotEqual(0u, g.Key.OperatorId));
    }
}
