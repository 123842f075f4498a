using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>
/// The service's steady state allocates nothing per request: measured in the real process through Status
/// key 27 (GC.GetTotalAllocatedBytes, precise), with the cost of the Status calls themselves subtracted.
/// </summary>
public sealed class AllocationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Scoring_over_IPC_allocates_no_managed_bytes_per_request_in_the_service()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var c = new RawConnection(service.SocketPath);
        TransactionEvent[] events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Select(r => r.Event).ToArray();

        // Pass 0 warms up (JIT tiers, pipe buffers, pools); passes 1 and 2 replay the same days shifted forward in
        // time (new event ids), so the terminal's history keeps moving like a real one.
        Play(c, events, pass: 0);
        Play(c, events, pass: 1);
        for (int i = 0; i < 3; i++) Status(c);
        ulong s0 = Status(c), previous = Status(c);
        long statusCost = (long)(previous - s0);

        // Three measured windows; a rare one-off in the runtime (a tier-up, a pool refill) may land in one of
        // them, so the claim is checked on their total.
        long total = 0;
        var windows = new List<long>();
        for (int pass = 2; pass < 5; pass++)
        {
            Play(c, events, pass);
            ulong now = Status(c);
            long window = (long)(now - previous) - statusCost;
            windows.Add(window);
            total += window;
            previous = now;
        }
        long requests = 3L * events.Length;
        double perRequest = (double)total / requests;
        string detail = $"{perRequest:F3} B per request over {requests} requests; windows {string.Join(", ", windows)} B beyond the Status cost of {statusCost} B";
        output.WriteLine("service allocations: " + detail);
        Assert.True(perRequest < 1.0, detail);
    }

    private static void Play(RawConnection c, TransactionEvent[] events, int pass)
    {
        const long days = 86_400_000L * 4;
        for (int i = 0; i < events.Length; i++)
        {
            ScoreRequest r = WireMapping.ToWire(events[i]);
            r.EventId += (ulong)pass * 10_000_000UL;
            r.TimestampMs += pass * days;
            c.Read<ScoreResponse>(c.Send(r));
        }
    }

    private static ulong Status(RawConnection c) => c.Read<StatusResponse>(c.Send(new StatusRequest(), 0xFFFF_0000)).AllocatedBytes;
}
