using System.Diagnostics;
using FraudEdge.Core.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace FraudEdge.Core.Tests.Scoring;

[Collection(ScoringCollection.Name)]
public sealed class DeadlineWatchdogTests
{
    [Fact]
    public void Run_that_ends_in_time_is_not_terminated()
    {
        using var options = new RunOptions();
        using var watchdog = new DeadlineWatchdog(options, TimeSpan.FromMilliseconds(5), "test-watchdog");
        for (int i = 0; i < 1000; i++)
        {
            watchdog.Arm(Stopwatch.GetTimestamp() + Stopwatch.Frequency); // 1 s away
            Assert.False(watchdog.Disarm());
            Assert.False(options.Terminate);
        }
        Assert.Equal(0, watchdog.FiredCount);
    }

    [Fact]
    public void Overdue_run_is_terminated_and_the_flag_is_lowered_on_disarm()
    {
        using var options = new RunOptions();
        using var watchdog = new DeadlineWatchdog(options, TimeSpan.FromMilliseconds(5), "test-watchdog");
        watchdog.Arm(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 200); // 5 ms
        Assert.True(SpinWait.SpinUntil(() => options.Terminate, TimeSpan.FromSeconds(5)), "the watchdog never fired");
        Assert.True(watchdog.Disarm());
        Assert.False(options.Terminate);
        Assert.Equal(1, watchdog.FiredCount);
    }

    [Fact]
    public void Parked_watchdog_wakes_for_the_next_run()
    {
        using var options = new RunOptions();
        using var watchdog = new DeadlineWatchdog(options, TimeSpan.FromMilliseconds(5), "test-watchdog", linger: TimeSpan.FromMilliseconds(20));
        watchdog.Arm(Stopwatch.GetTimestamp() + Stopwatch.Frequency);
        Assert.False(watchdog.Disarm());
        Assert.True(SpinWait.SpinUntil(() => watchdog.IsParked, TimeSpan.FromSeconds(5)), "the watchdog never parked after its linger time");

        var started = Stopwatch.StartNew();
        watchdog.Arm(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100); // 10 ms
        Assert.True(SpinWait.SpinUntil(() => options.Terminate, TimeSpan.FromSeconds(5)), "the parked watchdog never fired");
        Assert.InRange(started.Elapsed.TotalMilliseconds, 9.5, 5000);
        Assert.True(watchdog.Disarm());
    }

    [Fact]
    public void Dispose_stops_a_parked_or_polling_thread()
    {
        using var options = new RunOptions();
        var polling = new DeadlineWatchdog(options, TimeSpan.FromMilliseconds(5), "test-watchdog");
        var parked = new DeadlineWatchdog(options, TimeSpan.FromMilliseconds(5), "test-watchdog", linger: TimeSpan.Zero);
        Assert.True(SpinWait.SpinUntil(() => parked.IsParked, TimeSpan.FromSeconds(5)));
        polling.Dispose();
        parked.Dispose(); // returns: Join would hang if the parked thread missed the wake-up
        parked.Dispose();
    }
}
