using FraudEdge.Protocol.Messages;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// The service's managed allocations over a measured window, read from StatusResponse key 27 (the service
/// process's GC.GetTotalAllocatedBytes(precise)), as tests/FraudEdge.Service.Tests/AllocationTests.cs does:
/// a Status call allocates in the service too, so its cost — the difference between two consecutive Status
/// calls — is measured right before the window and subtracted from the window's difference.
/// </summary>
internal sealed class ServiceWindow
{
    private readonly Func<StatusResponse> _status;

    private readonly long _openedTicks = System.Diagnostics.Stopwatch.GetTimestamp();

    private ServiceWindow(Func<StatusResponse> status, long statusCost, StatusResponse before)
    {
        _status = status;
        StatusCostBytes = statusCost;
        Before = before;
    }

    public long StatusCostBytes { get; }

    public StatusResponse Before { get; }

    public StatusResponse After { get; private set; }

    public long Requests { get; private set; }

    /// <summary>Bytes the service allocated between the two Status calls beyond the closing call's own cost.</summary>
    public long WindowBytes { get; private set; }

    public double BytesPerRequest => Requests > 0 ? (double)WindowBytes / Requests : double.NaN;

    /// <summary>Wall time between the opening and the closing Status call.</summary>
    public TimeSpan Elapsed { get; private set; }

    public ulong Decisions { get; private set; }

    public ulong Rejected { get; private set; }

    public ulong Fallbacks { get; private set; }

    public ulong DeadlineMisses { get; private set; }

    /// <summary>
    /// One phase measured in several interleaved rounds: its windows added up (bytes, requests, time, counters). The
    /// other phases' requests between the rounds fall outside every window, so they are not counted.
    /// </summary>
    public static ServiceWindow Sum(IReadOnlyList<ServiceWindow> windows)
    {
        var sum = new ServiceWindow(windows[0]._status, windows.Max(w => w.StatusCostBytes), windows[0].Before) { After = windows[^1].After };
        foreach (ServiceWindow w in windows)
        {
            sum.Requests += w.Requests;
            sum.WindowBytes += w.WindowBytes;
            sum.Elapsed += w.Elapsed;
            sum.Decisions += w.Decisions;
            sum.Rejected += w.Rejected;
            sum.Fallbacks += w.Fallbacks;
            sum.DeadlineMisses += w.DeadlineMisses;
        }
        return sum;
    }

    /// <summary>
    /// Opens a window: a few Status calls to warm that path, then four consecutive ones. The cost of one call is the
    /// smallest of their three differences: anything else the service allocated meanwhile (a log line, a timer) can
    /// only add to a difference, and an inflated cost would hide allocations of the window.
    /// </summary>
    public static ServiceWindow Open(Func<StatusResponse> status)
    {
        for (int i = 0; i < 3; i++) status();
        StatusResponse previous = status();
        long cost = long.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            StatusResponse next = status();
            cost = Math.Min(cost, (long)(next.AllocatedBytes - previous.AllocatedBytes));
            previous = next;
        }
        return new ServiceWindow(status, cost, previous);
    }

    public void Close(long requests)
    {
        After = _status();
        Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_openedTicks);
        Requests = requests;
        WindowBytes = (long)(After.AllocatedBytes - Before.AllocatedBytes) - StatusCostBytes;
        Decisions = After.Decisions - Before.Decisions;
        Rejected = After.Rejected - Before.Rejected;
        Fallbacks = After.Fallbacks - Before.Fallbacks;
        DeadlineMisses = After.DeadlineMisses - Before.DeadlineMisses;
    }
}
