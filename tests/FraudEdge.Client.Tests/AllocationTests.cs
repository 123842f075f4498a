using FraudEdge.Client.Tests.Fakes;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests;

public sealed class AllocationTests
{
    [Fact]
    public void Sync_score_allocates_nothing_on_the_calling_thread_after_warm_up()
    {
        // The fake service runs on its own threads: GetAllocatedBytesForCurrentThread counts the client alone.
        using var server = new FakeFraudEdgeServer();
        using var client = new FraudEdgeClient(server.Options());
        ScoreRequest request = Samples.Purchase(424242);
        OutcomeNotice notice = Samples.IssuerApproved(424242);
        for (int i = 0; i < 300; i++)
        {
            client.Score(in request);
            client.ReportOutcome(in notice);
            client.Ping();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int decided = 0;
        for (int i = 0; i < 2000; i++)
        {
            ScoreResult result = client.Score(in request);
            if (result.Success && result.Response.EventId == 424242)
            {
                decided++;
            }
        }

        long scoreBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++)
        {
            client.ReportOutcome(in notice);
            client.Ping();
        }

        long otherBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2000, decided);
        Assert.Equal(0, scoreBytes);
        Assert.Equal(0, otherBytes);
        Assert.Equal(1, server.AcceptedConnections);
    }
}
