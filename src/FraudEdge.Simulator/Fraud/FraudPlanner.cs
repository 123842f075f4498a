using FraudEdge.Core.Events;
using FraudEdge.Data;
using FraudEdge.Simulator.Traffic;
using FraudEdge.Simulator.World;

namespace FraudEdge.Simulator.Fraud;

/// <summary>
/// Starts fraud episodes each day and plans their transactions. Each typology is built from what a terminal
/// can observe (entry mode, CVM, ATC, amounts, timing, cards, operator) and nothing it could not.
/// </summary>
internal sealed class FraudPlanner
{
    private const long Minute = CentralEuropeanTime.MsPerMinute;
    private const long Hour = CentralEuropeanTime.MsPerHour;
    private const long Day = CentralEuropeanTime.MsPerDay;
    /// <summary>Contactless CVM limit in the euro area (EUR 50 since 2020).</summary>
    public const long ContactlessCvmLimitMinor = 5_000;

    private readonly SimWorld _world;
    private readonly SimRandom _rng;
    private readonly IntentQueue _queue;
    private readonly double _multiplier;
    private readonly List<SimTerminal> _testingAttended = [];
    private readonly List<SimTerminal> _unattended = [];
    private readonly List<SimTerminal> _retailAttended = [];
    private readonly List<Merchant> _refundMerchants = [];

    public FraudPlanner(SimWorld world, SimRandom rng, IntentQueue queue, double multiplier)
    {
        _world = world;
        _rng = rng;
        _queue = queue;
        _multiplier = multiplier;
        foreach (var t in world.Terminals)
        {
            var a = t.Archetype;
            if (!a.Attended) _unattended.Add(t);
            // Card testing by hand needs a small shop whose owner or clerk is complicit, or whose terminal is
            // left logged in after hours; not a hotel reception or a busy multi-lane store.
            else if (t.Merchant.Terminals.Count <= 2 && !a.Is24Hours && a.Name is not "hotel") _testingAttended.Add(t);
            if (a.Attended && a.Name is not ("hotel" or "cafe" or "bar")) _retailAttended.Add(t);
        }
        foreach (var m in world.Merchants)
            if (m.Archetype.Attended && m.Operators.Length >= 2 && m.Archetype.RefundRate >= 0.002) _refundMerchants.Add(m);
    }

    public List<FraudEpisode> Episodes { get; } = [];

    public void PlanDay(long localDay)
    {
        double terminalDays = _world.Terminals.Count * _multiplier;
        foreach (var typology in FraudTypologies.Fraud)
        {
            int n = _rng.Poisson(FraudRates.EpisodesPerTerminalDay(typology) * terminalDays);
            for (int i = 0; i < n; i++)
            {
                switch (typology)
                {
                    case FraudTypology.CardTesting: PlanCardTesting(localDay); break;
                    case FraudTypology.SkimmedClone: PlanSkimmedClone(localDay); break;
                    case FraudTypology.KeyEnteredAttended: PlanKeyEntered(localDay); break;
                    case FraudTypology.StolenCardSpree: PlanStolenSpree(localDay); break;
                    case FraudTypology.RefundAbuse: PlanRefundAbuse(localDay); break;
                    case FraudTypology.AtcAnomaly: PlanAtcAnomaly(localDay); break;
                    case FraudTypology.ContactlessOverLimit: PlanContactlessOverLimit(localDay); break;
                }
            }
        }
    }

    /// <summary>
    /// A list of card numbers from one BIN range is tried at one terminal: small amounts, a new card every few
    /// seconds, most declined (invalid number, expired, do not honour). By hand after hours at a small shop
    /// (key-entered), or by swiping written magstripes at an unattended machine, often at night.
    /// </summary>
    private void PlanCardTesting(long localDay)
    {
        bool attended = _testingAttended.Count > 0 && (_unattended.Count == 0 || _rng.Chance(0.5));
        var pool = attended ? _testingAttended : _unattended;
        if (pool.Count == 0) return;
        var terminal = pool[_rng.Next(pool.Count)];
        var a = terminal.Archetype;
        long start;
        if (attended)
        {
            start = _rng.Chance(0.6)
                ? TradingHours.SampleBetween(localDay, a.CloseHour + 0.3, Math.Min(a.CloseHour + 4.0, 29.0), _rng)
                : TradingHours.SampleOpen(a, localDay, _rng);
            if (start < 0) start = TradingHours.SampleBetween(localDay, 20, 23, _rng);
        }
        else
        {
            start = _rng.Chance(0.6) ? TradingHours.SampleBetween(localDay, 0, 5, _rng) : TradingHours.SampleBetween(localDay, 0, 24, _rng);
        }
        var issuer = _rng.Chance(0.5) ? _world.Issuers.PickForeign(_rng) : _world.Issuers.PickDomestic(_rng);
        Bin bin = issuer.Bins[_rng.Next(issuer.Bins.Length)];
        int attempts = Math.Min(80, 8 + _rng.Poisson(22));
        var card = _world.NewCard(_rng, issuer, 0, fraudOnly: true, bin: bin);
        var episode = NewEpisode(FraudTypology.CardTesting, card.Index, chargebackRate: 0, declineRate: 0);
        episode.BurstFlagged = _rng.Chance(0.55);
        episode.NeverLabelled = _rng.Chance(0.15);
        long t = start;
        for (int i = 0; i < attempts; i++)
        {
            if (i > 0 && _rng.Chance(0.88)) card = _world.NewCard(_rng, issuer, 0, fraudOnly: true, bin: bin);
            long amount = _rng.Pick([0.45, 0.25, 0.30]) switch
            {
                0 => 100,
                1 => _rng.NextLong(50, 1_000),
                _ => _rng.NextLong(2, 11) * 50,
            };
            Schedule(new Intent
            {
                TimestampMs = t,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = amount,
                Channel = attended ? IntentChannel.KeyEntered : IntentChannel.Swipe,
                WrongExpiry = _rng.Chance(0.15),
            }, episode);
            t += attended ? _rng.NextLong(15_000, 45_000) : _rng.NextLong(8_000, 25_000);
        }
        episode.ReportAtMs = t + (long)(_rng.Uniform(1, 5) * Day);
    }

    /// <summary>
    /// A counterfeit magstripe made from a skimmed chip card: the track says "chip" (service code 2xx) but the
    /// counterfeit has none, so it is swiped or forced into fallback. Used a few times over days at shops with
    /// resellable goods, while the genuine holder keeps using the real card.
    /// </summary>
    private void PlanSkimmedClone(long localDay)
    {
        var card = PickVictim(foreignShare: 0.3, requireContactless: false);
        if (card is null) return;
        int uses = 2 + _rng.Next(0, 5);
        int spanDays = 1 + _rng.Next(0, 3);
        var episode = NewEpisode(FraudTypology.SkimmedClone, card.Index, chargebackRate: 0.5, declineRate: 0.15);
        long first = long.MaxValue;
        for (int i = 0; i < uses; i++)
        {
            var terminal = PickTerminal(_world.Terminals, t => t.Archetype.ThiefAppeal);
            long ts = TradingHours.SampleOpen(terminal.Archetype, localDay + _rng.Next(0, spanDays), _rng);
            if (ts < 0) continue;
            first = Math.Min(first, ts);
            var a = terminal.Archetype;
            long amount = a.PumpPreauthorization
                ? (long)_rng.LogNormal(9_000, 0.3)
                : (long)_rng.LogNormal(Math.Max(12_000, a.AmountMedianMinor * 2), 0.6);
            Schedule(new Intent
            {
                TimestampMs = ts,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = Math.Clamp(amount, 1_000, Math.Max(a.AmountMaxMinor, 20_000)),
                Channel = _rng.Chance(terminal.Attended ? 0.75 : 0.5) ? IntentChannel.Fallback : IntentChannel.Swipe,
            }, episode);
        }
        SetReport(episode, card, first, _rng.LogNormal(4, 0.6), 1, 25, neverRate: 0.12);
    }

    /// <summary>Stolen card details (no card) keyed in by a cashier: high amounts, no CVM or a signature.</summary>
    private void PlanKeyEntered(long localDay)
    {
        if (_retailAttended.Count == 0) return;
        SimCard? card = _rng.Chance(0.6) ? PickVictim(foreignShare: 0.2, requireContactless: false) : null;
        card ??= _world.NewCard(_rng, _rng.Chance(0.7) ? _world.Issuers.PickDomestic(_rng) : _world.Issuers.PickForeign(_rng), 0, fraudOnly: true);
        var terminal = PickTerminal(_retailAttended, RetailAppeal);
        long ts = TradingHours.SampleOpen(terminal.Archetype, localDay, _rng);
        if (ts < 0) return;
        var episode = NewEpisode(FraudTypology.KeyEnteredAttended, card.Index, chargebackRate: 0.6, declineRate: 0.2);
        int uses = 1 + (_rng.Chance(0.5) ? _rng.Next(0, 3) : 0);
        long first = ts;
        for (int i = 0; i < uses; i++)
        {
            var a = terminal.Archetype;
            Schedule(new Intent
            {
                TimestampMs = ts,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = Math.Clamp((long)_rng.LogNormal(25_000, 0.7), 3_000, Math.Max(a.AmountMaxMinor, 30_000)),
                Channel = IntentChannel.KeyEntered,
            }, episode);
            ts += _rng.NextLong(2 * Minute, 60 * Minute);
        }
        SetReport(episode, card, first, _rng.LogNormal(6, 0.6), 2, 30, neverRate: 0.15);
    }

    /// <summary>
    /// A lost or stolen card used fast before the holder notices: contactless just under the CVM limit, PIN
    /// bypass with a signature, wrong PINs; at shops with resellable goods and at night. The holder's report
    /// blocks the card, and later attempts are declined as lost / stolen.
    /// </summary>
    private void PlanStolenSpree(long localDay)
    {
        var card = PickVictim(foreignShare: 0, requireContactless: false);
        if (card is null) return;
        long theft = _rng.Chance(0.5) ? TradingHours.SampleBetween(localDay, 21, 27, _rng) : TradingHours.SampleBetween(localDay, 9, 19, _rng);
        card.StolenAtMs = theft;
        var episode = NewEpisode(FraudTypology.StolenCardSpree, card.Index, chargebackRate: 0.2, declineRate: 0.05);
        int attempts = 3 + _rng.Next(0, 6);
        long t = theft + _rng.NextLong(10 * Minute, 90 * Minute);
        for (int i = 0; i < attempts; i++)
        {
            SimTerminal? terminal = null;
            for (int tries = 0; tries < 12 && terminal is null; tries++)
            {
                long at = t;
                terminal = PickTerminalOrNull(_world.Terminals, x => TradingHours.IsOpen(x.Archetype, at)
                    ? x.Archetype.ThiefAppeal * (x.Merchant.Zone == card.HomeZone ? 3 : 1) : 0);
                if (terminal is null) t += 30 * Minute;
            }
            if (terminal is null) break;
            var a = terminal.Archetype;
            double r = _rng.NextDouble();
            IntentChannel channel = !terminal.Attended
                ? (card.Contactless ? IntentChannel.ContactlessNoCvm : IntentChannel.ChipWrongPin)
                : r < 0.55 && card.Contactless ? IntentChannel.ContactlessNoCvm
                : r < 0.85 ? IntentChannel.ChipPinBypass : IntentChannel.ChipWrongPin;
            long amount = channel switch
            {
                IntentChannel.ContactlessNoCvm => _rng.NextLong(2_500, ContactlessCvmLimitMinor + 1),
                IntentChannel.ChipPinBypass => (long)_rng.LogNormal(Math.Max(30_000, a.AmountMedianMinor * 3), 0.6),
                _ => (long)_rng.LogNormal(15_000, 0.6),
            };
            Schedule(new Intent
            {
                TimestampMs = t,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = Math.Clamp(amount, 500, Math.Max(a.AmountMaxMinor, 30_000)),
                Channel = channel,
            }, episode);
            t += _rng.NextLong(5 * Minute, 40 * Minute);
        }
        SetReport(episode, card, theft, _rng.LogNormal(5, 0.8) / 24.0, 0.5 / 24.0, 1.5, neverRate: 0.08);
    }

    /// <summary>
    /// A cashier refunds money that was never spent to one or two accomplice cards, a few times per shift over
    /// days, until an audit catches it.
    /// </summary>
    private void PlanRefundAbuse(long localDay)
    {
        if (_refundMerchants.Count == 0) return;
        var merchant = _refundMerchants[_rng.Next(_refundMerchants.Count)];
        uint op = merchant.Operators[_rng.Next(merchant.Operators.Length)];
        int accomplices = 1 + (_rng.Chance(0.4) ? 1 : 0);
        var cards = new int[accomplices];
        for (int i = 0; i < accomplices; i++)
        {
            SimCard? c = _rng.Chance(0.5) ? PickVictim(foreignShare: 0, requireContactless: false) : null;
            c ??= _world.NewCard(_rng, _world.Issuers.PickDomestic(_rng), merchant.Zone, fraudOnly: true);
            cards[i] = c.Index;
        }
        var episode = NewEpisode(FraudTypology.RefundAbuse, cards[0], chargebackRate: 0, declineRate: 0);
        int days = 3 + _rng.Next(0, 8);
        long last = TradingHours.SampleBetween(localDay, 12, 13, _rng);
        var a = merchant.Archetype;
        Span<(int Terminal, int Hour)> slots = stackalloc (int, int)[64];
        for (int d = 0; d < days; d++)
        {
            long day = localDay + d;
            if (TradingHours.DayFactor(a, day) <= 0 || !_rng.Chance(0.7)) continue;
            // Find the lanes and hours where this cashier is on shift today.
            int found = 0;
            foreach (var terminal in merchant.Terminals)
                for (int h = a.OpenHour; h < a.CloseHour && found < slots.Length; h++)
                    if (merchant.OperatorOnShift(terminal.Lane, day, h % 24) == op) slots[found++] = (terminal.Index, h);
            if (found == 0) continue;
            int refunds = 1 + _rng.Next(0, 3);
            for (int k = 0; k < refunds; k++)
            {
                var (terminalIndex, hour) = slots[_rng.Next(found)];
                long ts = TradingHours.SampleBetween(day, hour, hour + 1, _rng);
                long amount = Math.Clamp((long)_rng.LogNormal(7_000, 0.6), 1_500, 30_000);
                amount = _rng.Chance(0.5) ? ((amount / 100) * 100) - 1 : (amount / 100) * 100;
                Schedule(new Intent
                {
                    TimestampMs = ts,
                    Terminal = terminalIndex,
                    Card = cards[accomplices == 1 || _rng.Chance(0.7) ? 0 : 1],
                    Kind = TransactionKind.Refund,
                    AmountMinor = amount,
                    Channel = _rng.Chance(0.6) ? IntentChannel.Auto : IntentChannel.KeyEntered,
                    OperatorId = op,
                }, episode);
                last = Math.Max(last, ts);
            }
        }
        episode.NeverLabelled = _rng.Chance(0.25);
        episode.ReportAtMs = episode.NeverLabelled ? long.MaxValue : last + (long)(_rng.Uniform(2, 21) * Day);
    }

    /// <summary>
    /// A cloned chip or pre-played cryptograms: the application transaction counter repeats an earlier value or
    /// jumps far ahead of the genuine card's, sometimes with failed offline data authentication.
    /// </summary>
    private void PlanAtcAnomaly(long localDay)
    {
        var card = PickVictim(foreignShare: 0.25, requireContactless: false);
        if (card is null) return;
        var episode = NewEpisode(FraudTypology.AtcAnomaly, card.Index, chargebackRate: 0.5, declineRate: 0.35);
        int uses = 1 + _rng.Next(0, 4);
        int spanDays = 1 + _rng.Next(0, 2);
        long first = long.MaxValue;
        for (int i = 0; i < uses; i++)
        {
            var terminal = PickTerminal(_world.Terminals, t => t.Archetype.ThiefAppeal);
            long ts = TradingHours.SampleOpen(terminal.Archetype, localDay + _rng.Next(0, spanDays), _rng);
            if (ts < 0) continue;
            first = Math.Min(first, ts);
            var a = terminal.Archetype;
            Schedule(new Intent
            {
                TimestampMs = ts,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = Math.Clamp((long)_rng.LogNormal(12_000, 0.7), 1_000, Math.Max(a.AmountMaxMinor, 20_000)),
                Channel = _rng.Chance(0.6) ? IntentChannel.AtcReplay : IntentChannel.AtcJump,
            }, episode);
        }
        SetReport(episode, card, first, _rng.LogNormal(5, 0.6), 2, 20, neverRate: 0.15);
    }

    /// <summary>
    /// Contactless above the CVM limit with no CVM at all (not even on a phone): a relayed or tampered card
    /// session that bypasses cardholder verification, at a few shops in a row.
    /// </summary>
    private void PlanContactlessOverLimit(long localDay)
    {
        if (_retailAttended.Count == 0) return;
        var card = PickVictim(foreignShare: 0.15, requireContactless: true);
        if (card is null) return;
        var first = PickTerminal(_retailAttended, RetailAppeal);
        long ts = TradingHours.SampleOpen(first.Archetype, localDay, _rng);
        if (ts < 0) return;
        var episode = NewEpisode(FraudTypology.ContactlessOverLimit, card.Index, chargebackRate: 0.4, declineRate: 0.25);
        int uses = 1 + _rng.Next(0, 4);
        long start = ts;
        var terminal = first;
        for (int i = 0; i < uses; i++)
        {
            if (i > 0)
            {
                ts += _rng.NextLong(10 * Minute, 90 * Minute);
                long at = ts;
                var next = PickTerminalOrNull(_retailAttended, t => TradingHours.IsOpen(t.Archetype, at) && t.Merchant.Zone == first.Merchant.Zone ? RetailAppeal(t) : 0);
                if (next is null) break;
                terminal = next;
            }
            Schedule(new Intent
            {
                TimestampMs = ts,
                Terminal = terminal.Index,
                Card = card.Index,
                Kind = TransactionKind.Purchase,
                AmountMinor = Math.Clamp((long)_rng.LogNormal(12_000, 0.6), ContactlessCvmLimitMinor + 100, 60_000),
                Channel = IntentChannel.ContactlessNoCvm,
            }, episode);
        }
        SetReport(episode, card, start, _rng.LogNormal(3, 0.7), 0.5, 15, neverRate: 0.10);
    }

    private static double RetailAppeal(SimTerminal t) => t.Archetype.Name switch
    {
        "electronics" or "jewelry" => 4,
        "clothing" => 2,
        "liquor" => 1.5,
        "supermarket" or "convenience" or "fuel_shop" => 1,
        _ => 0.5,
    };

    private FraudEpisode NewEpisode(FraudTypology typology, int card, double chargebackRate, double declineRate)
    {
        var episode = new FraudEpisode
        {
            Index = Episodes.Count,
            Typology = typology,
            Card = card,
            ChargebackRate = chargebackRate,
            DeclineRate = declineRate,
        };
        Episodes.Add(episode);
        return episode;
    }

    /// <summary>The holder or issuer notices after a delay (days); the issuer then blocks the card.</summary>
    private void SetReport(FraudEpisode episode, SimCard card, long first, double delayDays, double minDays, double maxDays, double neverRate)
    {
        if (first == long.MaxValue) return;
        if (_rng.Chance(neverRate))
        {
            episode.NeverLabelled = true;
            return;
        }
        episode.ReportAtMs = first + (long)(Math.Clamp(delayDays, minDays, maxDays) * Day);
        card.BlockedAtMs = Math.Min(card.BlockedAtMs, episode.ReportAtMs);
    }

    private void Schedule(Intent intent, FraudEpisode episode)
    {
        intent.Typology = episode.Typology;
        intent.Episode = episode.Index;
        _queue.Schedule(intent);
    }

    /// <summary>A genuine cardholder's card that is not yet part of another fraud episode.</summary>
    private SimCard? PickVictim(double foreignShare, bool requireContactless)
    {
        for (int tries = 0; tries < 50; tries++)
        {
            var card = _world.Card(_rng.Chance(foreignShare) ? _world.PickForeign(_rng) : _world.PickAnyDomestic(_rng));
            if (card.Compromised || card.FraudOnly || !card.HasChip || card.ReplacedBy >= 0) continue;
            if (requireContactless && !card.Contactless) continue;
            card.Compromised = true;
            return card;
        }
        return null;
    }

    private SimTerminal PickTerminal(List<SimTerminal> terminals, Func<SimTerminal, double> weight) =>
        PickTerminalOrNull(terminals, weight) ?? terminals[_rng.Next(terminals.Count)];

    private SimTerminal? PickTerminalOrNull(List<SimTerminal> terminals, Func<SimTerminal, double> weight)
    {
        var weights = new double[terminals.Count];
        double total = 0;
        for (int i = 0; i < terminals.Count; i++)
        {
            weights[i] = Math.Max(0, weight(terminals[i]));
            total += weights[i];
        }
        return total <= 0 ? null : terminals[_rng.Pick(weights)];
    }
}
