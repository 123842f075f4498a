namespace FraudEdge.Simulator.World;

/// <summary>When a merchant trades, and random instants inside (or outside) its trading hours.</summary>
internal static class TradingHours
{
    private const long Hour = CentralEuropeanTime.MsPerHour;

    /// <summary>Relative traffic for the session that opens on the local day (0 = closed that day).</summary>
    public static double DayFactor(MerchantArchetype a, long localDay) => a.WeekdayFactor[CentralEuropeanTime.LocalWeekday(localDay)];

    /// <summary>True when the merchant is open at the instant (sessions may run past midnight).</summary>
    public static bool IsOpen(MerchantArchetype a, long utcMs)
    {
        long day = CentralEuropeanTime.LocalDay(utcMs);
        int hour = CentralEuropeanTime.LocalHour(utcMs);
        if (DayFactor(a, day) > 0 && a.IsOpenHour(hour)) return true;
        // After midnight, still in yesterday's session?
        return a.CloseHour > 24 && hour < a.CloseHour - 24 && DayFactor(a, day - 1) > 0;
    }

    /// <summary>An instant in the session opening on the local day, weighted by the hour shape; -1 when closed.</summary>
    public static long SampleOpen(MerchantArchetype a, long localDay, SimRandom rng)
    {
        if (DayFactor(a, localDay) <= 0) return -1;
        int span = a.CloseHour - a.OpenHour;
        Span<double> weights = stackalloc double[span];
        for (int i = 0; i < span; i++) weights[i] = a.HourShape[(a.OpenHour + i) % 24];
        int h = a.OpenHour + rng.Pick(weights);
        return CentralEuropeanTime.LocalMidnightUtc(localDay) + (h * Hour) + rng.NextLong(0, Hour);
    }

    /// <summary>An instant within [fromHour, toHour) local time of the day (hours may exceed 24).</summary>
    public static long SampleBetween(long localDay, double fromHour, double toHour, SimRandom rng) =>
        CentralEuropeanTime.LocalMidnightUtc(localDay) + (long)(rng.Uniform(fromHour, toHour) * Hour);
}
