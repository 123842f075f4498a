namespace FraudEdge.Simulator;

/// <summary>
/// Local time of the simulated acquirer's country (Germany, CET/CEST). EU summer time (Directive 2000/84/EC)
/// runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. Computed, not
/// read from the machine's tz database, so a log does not depend on the host.
/// </summary>
internal static class CentralEuropeanTime
{
    public const long MsPerMinute = 60_000;
    public const long MsPerHour = 3_600_000;
    public const long MsPerDay = 86_400_000;

    private static readonly Lock s_cacheLock = new();
    private static int s_cachedYear = -1;
    private static long s_summerStart, s_summerEnd;

    public static short OffsetMinutes(long utcMs)
    {
        int year = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(utcMs).Year;
        long start, end;
        lock (s_cacheLock)
        {
            if (year != s_cachedYear)
            {
                s_summerStart = LastSundayOneUtc(year, 3);
                s_summerEnd = LastSundayOneUtc(year, 10);
                s_cachedYear = year;
            }
            start = s_summerStart;
            end = s_summerEnd;
        }
        return (short)(utcMs >= start && utcMs < end ? 120 : 60);
    }

    /// <summary>UTC ms of local midnight starting the given local calendar day (days since 1970-01-01).</summary>
    public static long LocalMidnightUtc(long localDay)
    {
        long naive = localDay * MsPerDay;
        // The offset a few hours before local midnight is the one in force at it (changes happen at 01:00 UTC).
        return naive - (OffsetMinutes(naive - (3 * MsPerHour)) * MsPerMinute);
    }

    /// <summary>Local hour of day (0-23) of a UTC instant.</summary>
    public static int LocalHour(long utcMs)
    {
        long local = utcMs + (OffsetMinutes(utcMs) * MsPerMinute);
        return (int)(((local % MsPerDay) + MsPerDay) % MsPerDay / MsPerHour);
    }

    /// <summary>Local calendar day number of a UTC instant.</summary>
    public static long LocalDay(long utcMs)
    {
        long local = utcMs + (OffsetMinutes(utcMs) * MsPerMinute);
        return Math.DivRem(local, MsPerDay, out long rem) - (rem < 0 ? 1 : 0);
    }

    /// <summary>Local day of week, Monday = 0 … Sunday = 6.</summary>
    public static int LocalWeekday(long localDay) => (int)(((localDay + 3) % 7 + 7) % 7); // 1970-01-01 was a Thursday

    private static long LastSundayOneUtc(int year, int month)
    {
        var day = new DateTime(year, month, DateTime.DaysInMonth(year, month), 1, 0, 0, DateTimeKind.Utc);
        while (day.DayOfWeek != DayOfWeek.Sunday) day = day.AddDays(-1);
        return (long)(day - DateTime.UnixEpoch).TotalMilliseconds;
    }
}
