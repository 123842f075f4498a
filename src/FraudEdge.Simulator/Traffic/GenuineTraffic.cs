using FraudEdge.Core.Events;
using FraudEdge.Data;
using FraudEdge.Simulator.World;

namespace FraudEdge.Simulator.Traffic;

/// <summary>
/// Plans each day's genuine transactions per terminal: volume from the merchant's size, the weekday and an
/// occasional busy day; times from the hour-of-day shape inside trading hours; the customer from the
/// neighbourhood, the whole town or the tourists in town; ticket sizes, refunds, pre-authorisations, cashback.
/// </summary>
internal sealed class GenuineTraffic(SimWorld world, SimRandom rng, IntentQueue queue)
{
    /// <summary>Probability that a merchant has an unusually busy day (market day, sale, local event).</summary>
    public const double BusyDayRate = 0.03;
    public const double BusyDayFactor = 1.6;
    /// <summary>A genuine cardholder's occasional big purchase at a shop that sells expensive things.</summary>
    public const double BigPurchaseRate = 0.004;

    public void PlanDay(long localDay)
    {
        double[] hourWeights = new double[30];
        foreach (var merchant in world.Merchants)
        {
            var a = merchant.Archetype;
            double dayFactor = TradingHours.DayFactor(a, localDay);
            if (dayFactor <= 0) continue;
            double busy = rng.Chance(BusyDayRate) ? BusyDayFactor : 1.0;
            int span = a.CloseHour - a.OpenHour;
            double total = 0;
            for (int i = 0; i < span; i++)
            {
                total += a.HourShape[(a.OpenHour + i) % 24];
                hourWeights[i] = total;
            }
            long midnight = CentralEuropeanTime.LocalMidnightUtc(localDay);
            foreach (var terminal in merchant.Terminals)
            {
                // Lane 1 is always staffed; higher lanes open at busy times and see a little less traffic.
                double laneFactor = terminal.Lane <= 1 ? 1.0 : 1.0 - (0.06 * (terminal.Lane - 1));
                int n = rng.Poisson(a.DailyVolume * merchant.SizeFactor * dayFactor * busy * laneFactor);
                for (int k = 0; k < n; k++)
                {
                    int h = a.OpenHour + rng.PickCumulative(hourWeights.AsSpan(0, span));
                    long ts = midnight + (h * CentralEuropeanTime.MsPerHour) + rng.NextLong(0, CentralEuropeanTime.MsPerHour);
                    PlanOne(terminal, localDay, ts);
                }
            }
        }
    }

    private void PlanOne(SimTerminal terminal, long localDay, long ts)
    {
        var a = terminal.Archetype;
        int card = PickCustomer(terminal.Merchant, localDay);
        var intent = new Intent
        {
            TimestampMs = ts,
            Terminal = terminal.Index,
            Card = card,
            Kind = TransactionKind.Purchase,
            Channel = IntentChannel.Auto,
            Typology = FraudTypology.Legitimate,
            Episode = -1,
        };
        var holder = world.Card(card);

        if (a.RefundRate > 0 && rng.Chance(a.RefundRate))
        {
            PlanRefund(terminal, ref intent, holder);
        }
        else if (a.PumpPreauthorization)
        {
            // Pay-at-pump: the terminal blocks a fixed amount, the pump dispenses, a completion follows.
            intent.Kind = TransactionKind.PreAuthorization;
            intent.AmountMinor = rng.Chance(0.6) ? 15_000 : 10_000;
            intent.LinkedValue = Math.Min(intent.AmountMinor, Amount(a, holder));
        }
        else if (a.HotelStays && rng.Chance(0.4))
        {
            long nights = 1 + Math.Min(6, rng.Poisson(1.2));
            intent.Kind = TransactionKind.PreAuthorization;
            intent.AmountMinor = (long)(nights * rng.LogNormal(11_000, 0.35));
            intent.LinkedValue = nights;
            if (rng.Chance(0.25)) intent.Channel = IntentChannel.KeyEntered; // booked by phone, card details on file
        }
        else
        {
            intent.AmountMinor = Amount(a, holder);
            if (a.ThiefAppeal >= 1.5 && rng.Chance(BigPurchaseRate))
                intent.AmountMinor = Math.Min(BigPurchaseCapMinor, (long)(intent.AmountMinor * rng.Uniform(3, 8)));
            if (a.Attended && a.KeyEntryRate > 0 && rng.Chance(a.KeyEntryRate))
                intent.Channel = IntentChannel.KeyEntered; // phone order, unreadable card
            if (a.CashbackRate > 0 && holder.Type == CardType.Debit && !holder.Foreign && rng.Chance(a.CashbackRate))
            {
                intent.CashbackMinor = rng.Chance(0.5) ? 2_000 : rng.Chance(0.6) ? 5_000 : 10_000;
                intent.AmountMinor += intent.CashbackMinor;
            }
        }
        queue.Schedule(intent);
    }

    /// <summary>50 000 EUR: no genuine big day goes beyond this at a town shop.</summary>
    private const long BigPurchaseCapMinor = 5_000_000;

    private void PlanRefund(SimTerminal terminal, ref Intent intent, SimCard holder)
    {
        var merchant = terminal.Merchant;
        intent.Kind = TransactionKind.Refund;
        int known = Math.Min(merchant.RecentPurchaseCount, Merchant.RecentPurchaseCapacity);
        if (known > 0 && rng.Chance(0.75))
        {
            // A genuine return: the card that bought it (possibly at another lane) gets part or all back.
            var (card, amount) = merchant.RecentPurchases[rng.Next(known)];
            intent.Card = card;
            intent.AmountMinor = Math.Max(100, rng.Chance(0.5) ? amount : (long)(amount * rng.Uniform(0.2, 1.0)));
        }
        else
        {
            // Bought with cash or received as a gift: refunded to a card with no purchase here.
            intent.AmountMinor = Math.Max(100, (long)(Amount(merchant.Archetype, holder) * rng.Uniform(0.3, 1.0)));
            intent.UnmatchedRefund = true;
        }
        if (rng.Chance(0.08)) intent.Channel = IntentChannel.KeyEntered; // returned by post / phone
    }

    private int PickCustomer(Merchant merchant, long localDay)
    {
        if (rng.Chance(merchant.Archetype.TouristShare))
        {
            int tourist = world.PickTourist(rng, localDay);
            if (tourist >= 0) return tourist;
        }
        return rng.Chance(0.85) ? world.PickZoneCard(rng, merchant.Zone) : world.PickAnyDomestic(rng);
    }

    /// <summary>A ticket: the merchant's log-normal amount scaled by the holder's spending habit, priced like the shop.</summary>
    public long Amount(MerchantArchetype a, SimCard holder)
    {
        double median = a.AmountMedianMinor * Math.Pow(holder.SpendMultiplier, 0.7);
        long amount = (long)rng.LogNormal(median, a.AmountSigma);
        amount = Math.Clamp(amount, 50, a.AmountMaxMinor);
        if (a.PriceStepMinor > 0)
            amount = Math.Max(a.PriceStepMinor, (amount + (a.PriceStepMinor / 2)) / a.PriceStepMinor * a.PriceStepMinor);
        else if (a.RoundPrices && amount > 500)
            amount = rng.Chance(0.6) ? ((amount / 100) * 100) - 1 : (amount / 100) * 100;
        return amount;
    }
}
