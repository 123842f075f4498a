using FraudEdge.Core;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>The real fraudedged decides exactly as the in-process engine does, and its Status counts what happened.</summary>
public sealed class DecisionTests
{
    [Fact]
    public async Task Decisions_over_IPC_equal_the_in_process_engine_and_status_counts_them()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var engine = new FraudEngine(new FraudEngineOptions { Profile = HardwareProfiles.LoadFile(Path.Combine(service.Directory, "profile.json")) });
        using var connection = new RawConnection(service.SocketPath);

        long decisions = 0, outcomes = 0, reviewOrDeny = 0;
        foreach (EventLogRecord record in TestTraffic.OneTerminal)
        {
            if (record.Kind == EventLogRecordKind.Notice)
            {
                Assert.True(engine.Record(record.Notice).IsValid);
                uint nid = connection.Send(WireMapping.ToWire(record.Notice));
                Ack ack = connection.Read<Ack>(nid);
                Assert.True(record.Notice.EventId == ack.EventId, $"notice for {record.Notice.EventId} acknowledged as {ack.EventId}");
                outcomes++;
                continue;
            }
            Decision expected = engine.Evaluate(record.Event);
            Assert.False(expected.IsRejected);
            uint id = connection.Send(WireMapping.ToWire(record.Event));
            ScoreResponse actual = connection.Read<ScoreResponse>(id);
            Assert.Equal(record.Event.EventId, actual.EventId);
            Assert.Equal((byte)expected.Verdict, actual.Verdict);
            Assert.Equal(expected.RiskScore, actual.RiskScore);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Probability), BitConverter.SingleToInt32Bits(actual.Probability));
            Assert.Equal((ulong)expected.Reasons, actual.Reasons);
            Assert.Equal((byte)DecisionSource.Model, actual.Source);
            Assert.Equal(engine.Model!.Manifest.Version, actual.ModelVersion.ToString());
            decisions++;
            if (expected.Verdict != Verdict.Allow) reviewOrDeny++;
        }
        Assert.True(decisions > 500, $"only {decisions} events in the test traffic");
        Assert.True(outcomes > 0);

        uint sid = connection.Send(new StatusRequest());
        StatusResponse status = connection.Read<StatusResponse>(sid);
        Assert.Equal((ulong)decisions, status.Decisions);
        Assert.Equal((ulong)outcomes, status.Outcomes);
        Assert.Equal((ulong)reviewOrDeny, status.Reviewed + status.Denied);
        Assert.Equal(0UL, status.Rejected);
        Assert.Equal("test-entry", status.Profile);
        Assert.Equal(engine.Model!.Manifest.Name, status.ModelName);
        Assert.Equal(engine.Model.Manifest.Files["model.onnx"], status.ModelSha256);
        Assert.Equal("fe-tok-1", status.Tokenizer);
        Assert.Equal(1UL, status.ConnectionsActive);
        Assert.True(status.RssBytes > 0 && status.PeakRssBytes >= status.RssBytes);
        Assert.True(status.LatencyP50Us > 0 && status.LatencyP99Us >= status.LatencyP50Us);
        Assert.Equal(1u, status.ProtocolVersion);
    }

    [Fact]
    public async Task An_impossible_event_is_refused_with_its_validation_code_and_the_connection_carries_on()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var connection = new RawConnection(service.SocketPath);
        ScoreRequest request = WireMapping.ToWire(TestTraffic.OneTerminal.First(r => r.Kind == EventLogRecordKind.Event).Event);
        request.Bin = 41111; // five digits

        uint id = connection.Send(request);
        ErrorResponse error = connection.ReadError(id);
        Assert.Equal(ProtocolErrorCode.InvalidEvent, error.Code);
        Assert.Equal("bin", error.Field);
        Assert.Equal(115, error.Detail); // ValidationErrorCode.InvalidBin
        Assert.DoesNotContain("41111", error.Message, StringComparison.Ordinal); // values are never echoed

        request.Bin = 411111;
        uint ok = connection.Send(request);
        Assert.Equal(request.EventId, connection.Read<ScoreResponse>(ok).EventId);

        uint sid = connection.Send(new StatusRequest());
        StatusResponse status = connection.Read<StatusResponse>(sid);
        Assert.Equal(1UL, status.Rejected);
        Assert.Equal(1UL, status.Decisions);
        Assert.Equal(1UL, status.ProtocolErrors);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_request_order()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var connection = new RawConnection(service.SocketPath);
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(60).ToArray();

        // One write carrying 60 score requests interleaved with pings: the service must answer each, in order.
        var batch = new List<byte>();
        uint requestId = 1000;
        foreach (var record in events)
        {
            batch.AddRange(connection.Encode(WireMapping.ToWire(record.Event), requestId++));
            batch.AddRange(connection.Encode(new Ping(), requestId++));
        }
        connection.Send(batch.ToArray());

        requestId = 1000;
        foreach (var record in events)
        {
            Assert.Equal(record.Event.EventId, connection.Read<ScoreResponse>(requestId++).EventId);
            Assert.Equal(1u, connection.Read<Pong>(requestId++).ProtocolVersion);
        }
    }
}
