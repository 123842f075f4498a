namespace FraudEdge.Simulator.Tests;

public class ClockTests
{
    private static long Utc(int y, int mo, int d, int h, int mi = 0) =>
        (long)(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    [Fact]
    public void Central_european_summer_time_follows_the_eu_rule()
    {
        Assert.Equal(60, CentralEuropeanTime.OffsetMinutes(Utc(2026, 3, 29, 0, 59)));
        Assert.Equal(120, CentralEuropeanTime.OffsetMinutes(Utc(2026, 3, 29, 1, 0)));
        Assert.Equal(120, CentralEuropeanTime.OffsetMinutes(Utc(2026, 10, 25, 0, 59)));
        Assert.Equal(60, CentralEuropeanTime.OffsetMinutes(Utc(2026, 10, 25, 1, 0)));
        Assert.Equal(0, CentralEuropeanTime.LocalWeekday(new DateOnly(2026, 1, 5).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
        Assert.Equal(Utc(2026, 1, 4, 23), CentralEuropeanTime.LocalMidnightUtc(20458)); // 2026-01-05 local
        Assert.Equal(Utc(2026, 7, 5, 22), CentralEuropeanTime.LocalMidnightUtc(20640)); // 2026-07-06 local
    }

    [Fact]
    public void The_random_source_is_reproducible_and_streams_differ()
    {
        var a = new SimRandom(1, 2);
        var b = new SimRandom(1, 2);
        var c = new SimRandom(1, 3);
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(new SimRandom(1, 2).NextUInt64(), c.NextUInt64());
        var r = new SimRandom(5, 5);
        double mean = Enumerable.Range(0, 20_000).Average(_ => r.Poisson(3.0));
        Assert.InRange(mean, 2.9, 3.1);
    }
}
