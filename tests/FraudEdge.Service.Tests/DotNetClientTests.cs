using FraudEdge.Client;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>FraudEdge.Client, as host software would use it, against the real service.</summary>
public sealed class DotNetClientTests
{
    [Fact]
    public async Task The_client_scores_reports_outcomes_pipelines_and_reads_status()
    {
        await using var service = await ServiceProcess.StartAsync();
        await using var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath, RequestTimeout = TimeSpan.FromSeconds(5) });
        var records = TestTraffic.OneTerminal.Take(400).ToArray();

        long scored = 0, acked = 0;
        foreach (var r in records.Take(200))
        {
            if (r.Kind == EventLogRecordKind.Notice)
            {
                Assert.True((await client.ReportOutcomeAsync(WireMapping.ToWire(r.Notice))).Success);
                acked++;
                continue;
            }
            ScoreResult result = await client.ScoreAsync(WireMapping.ToWire(r.Event));
            Assert.True(result.Success, result.Error.Message);
            Assert.Equal(r.Event.EventId, result.Response.EventId);
            Assert.InRange(result.Response.Verdict, (byte)1, (byte)3);
            scored++;
        }

        // The rest of the events in one pipelined batch: answered in order.
        ScoreRequest[] batch = records.Skip(200).Where(r => r.Kind == EventLogRecordKind.Event).Select(r => WireMapping.ToWire(r.Event)).ToArray();
        var results = new ScoreResult[batch.Length];
        await client.ScoreBatchAsync(batch, results);
        for (int i = 0; i < batch.Length; i++) Assert.Equal(batch[i].EventId, results[i].Response.EventId);

        // A rejected event is a result, not an exception.
        ScoreRequest bad = batch[0];
        bad.EventId += 10_000_000;
        bad.AmountMinor = -5;
        ScoreResult rejected = client.Score(bad);
        Assert.True(rejected.IsRejected);
        Assert.Equal(ProtocolErrorCode.InvalidEvent, rejected.Error.Code);

        StatusResponse status = await client.GetStatusAsync();
        Assert.Equal((ulong)(scored + batch.Length), status.Decisions);
        Assert.Equal((ulong)acked, status.Outcomes);
        Assert.Equal(1UL, status.Rejected);
        Assert.Equal(1u, (await client.PingAsync()).ProtocolVersion);
    }

    [Fact]
    public async Task The_client_reconnects_after_the_service_restarts()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-restart-").FullName;
        string socket = Path.Combine(dir, "fe.sock");
        await using var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = socket });
        await using (var first = await ServiceProcess.StartAsync(socketPath: socket))
        {
            Assert.Equal(1u, client.Ping().ProtocolVersion);
            Assert.Equal(0, await first.StopAsync());
        }
        await using (var second = await ServiceProcess.StartAsync(socketPath: socket))
        {
            // The old connection was closed by the stop (ShuttingDown); the client notices and reconnects.
            Pong pong = default;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                try { pong = client.Ping(); break; }
                catch (FraudEdgeClientException e) when (e.ErrorCode == ClientErrorCode.ServerClosedConnection) { }
            }
            Assert.Equal(1u, pong.ProtocolVersion);
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Four_concurrent_clients_are_served_without_errors()
    {
        await using var service = await ServiceProcess.StartAsync(maxConnections: 4);
        await service.WaitForNoOtherConnectionsAsync();
        await Task.Delay(100);
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(600).Select(r => r.Event).ToArray();
        var tasks = Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
        {
            await using var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath, RequestTimeout = TimeSpan.FromSeconds(5) });
            int ok = 0;
            for (int i = k; i < events.Length; i += 4)
            {
                ScoreResult r = await client.ScoreAsync(WireMapping.ToWire(events[i]));
                if (r.Success) ok++;
            }
            return ok;
        })).ToArray();
        int[] done = await Task.WhenAll(tasks);
        Assert.Equal(events.Length, done.Sum());
    }
}
