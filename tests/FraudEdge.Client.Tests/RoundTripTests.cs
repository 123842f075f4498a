using FraudEdge.Client.Tests.Fakes;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests;

public sealed class RoundTripTests
{
    [Fact]
    public async Task Score_round_trip_returns_the_decision_and_reuses_one_connection()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options());

        ScoreResult first = await client.ScoreAsync(Samples.Purchase(12345));
        ScoreResult second = await client.ScoreAsync(Samples.Purchase(12346, amountMinor: 250_000));

        Assert.True(first.Success);
        Assert.False(first.IsRejected);
        Assert.Equal(ProtocolErrorCode.None, first.Error.Code);
        ScoreResponse decision = first.Response;
        Assert.Equal(12345UL, decision.EventId);
        Assert.Equal(1, decision.Verdict);
        Assert.Equal(4, decision.RiskScore);
        Assert.Equal(0.0123f, decision.Probability);
        Assert.Equal(1UL << 8, decision.Reasons);
        Assert.Equal("1.0.0", decision.ModelVersion.ToString());
        Assert.Equal(3, second.Response.Verdict);

        Assert.Equal(1, server.AcceptedConnections);
        // Request ids: a per-client counter from 1 (0 is the service's "not tied to a request").
        Assert.Equal(new uint[] { 1, 2 }, server.Received.Select(r => r.Header.RequestId));
        // What went out decodes as the request that was scored.
        ReceivedRequest sent = server.Received.First();
        Assert.Equal(MessageType.ScoreRequest, sent.Header.Type);
        Assert.Equal(System.Buffers.OperationStatus.Done, ScoreRequest.TryRead(sent.PayloadSequence, out ScoreRequest echoed, out _));
        Assert.Equal(Samples.Purchase(12345), echoed);
    }

    [Fact]
    public async Task Rejected_event_is_a_result_with_the_validation_detail_and_the_connection_stays()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options());

        ScoreResult rejected = await client.ScoreAsync(Samples.WithBadBin(7));

        Assert.True(rejected.IsRejected);
        Assert.False(rejected.Success);
        Assert.Equal(ProtocolErrorCode.InvalidEvent, rejected.Error.Code);
        Assert.Equal("bin", rejected.Error.Field);
        Assert.Equal(FakeFraudEdgeServer.InvalidBinDetail, rejected.Error.Detail);
        Assert.False(rejected.TryGetResponse(out _));
        Assert.Throws<InvalidOperationException>(() => rejected.Response);

        Assert.True(client.IsConnected);
        Assert.True((await client.ScoreAsync(Samples.Purchase(8))).Success);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Outcome_ping_and_status_round_trip()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options());

        OutcomeResult outcome = await client.ReportOutcomeAsync(Samples.IssuerApproved(12345));
        Pong pong = await client.PingAsync();
        StatusResponse status = await client.GetStatusAsync();

        Assert.True(outcome.Success);
        Assert.Equal(12345UL, outcome.Ack.EventId);
        Assert.Equal(1u, pong.ProtocolVersion);
        Assert.Equal(1000UL, pong.UptimeMs);
        Assert.Equal("0.9.0-fake", status.ServiceVersion);
        Assert.Equal("entry-a53", status.Profile);
        Assert.Null(status.ModelName);
        Assert.Equal(42UL, status.Decisions);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Rejected_outcome_is_a_result()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
            connection.ReplyError(request.Header.RequestId, ProtocolErrorCode.MissingField, "a required key is absent",
                "response_code"));
        await using var client = new FraudEdgeClient(server.Options());

        OutcomeResult outcome = await client.ReportOutcomeAsync(Samples.IssuerApproved(5));

        Assert.True(outcome.IsRejected);
        Assert.Equal(ProtocolErrorCode.MissingField, outcome.Error.Code);
        Assert.Equal("response_code", outcome.Error.Field);
        Assert.Throws<InvalidOperationException>(() => outcome.Ack);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Pipelined_batch_answers_in_request_order_across_windows()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options());
        // ~100 bytes a request: 400 of them span several 16 KiB windows.
        var requests = new ScoreRequest[400];
        for (int i = 0; i < requests.Length; i++)
        {
            requests[i] = i % 7 == 3 ? Samples.WithBadBin((ulong)(1000 + i)) : Samples.Purchase((ulong)(1000 + i), amountMinor: 100 + i);
        }

        var results = new ScoreResult[requests.Length];
        await client.ScoreBatchAsync(requests, results);

        for (int i = 0; i < requests.Length; i++)
        {
            if (i % 7 == 3)
            {
                Assert.True(results[i].IsRejected, $"request {i}");
                Assert.Equal(ProtocolErrorCode.InvalidEvent, results[i].Error.Code);
            }
            else
            {
                Assert.True(results[i].Success, $"request {i}");
                Assert.Equal((ulong)(1000 + i), results[i].Response.EventId);
            }
        }

        Assert.Equal(1, server.AcceptedConnections);
        Assert.Equal(requests.Length, server.RequestsReceived);
        Assert.Equal(Enumerable.Range(1, requests.Length).Select(i => (uint)i), server.Received.Select(r => r.Header.RequestId));
        // The connection is still in step after the batch.
        Assert.True((await client.ScoreAsync(Samples.Purchase(9))).Success);
    }

    [Fact]
    public async Task Batch_is_written_before_any_response_is_read()
    {
        // The fake answers nothing until the whole window has arrived: a client that waited for each response
        // before writing the next request would time out here.
        const int count = 50;
        var held = new List<ReceivedRequest>();
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            held.Add(request);
            if (held.Count < count)
            {
                return;
            }

            foreach (ReceivedRequest r in held)
            {
                connection.AnswerDefault(r);
            }
        });
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 2000));
        var requests = new ScoreRequest[count];
        for (int i = 0; i < count; i++)
        {
            requests[i] = Samples.Purchase((ulong)(i + 1));
        }

        var results = new ScoreResult[count];
        await client.ScoreBatchAsync(requests.AsMemory(), results.AsMemory());

        Assert.All(results, r => Assert.True(r.Success));
        Assert.Equal(50UL, results[49].Response.EventId);
    }

    [Fact]
    public void Sync_api_round_trip()
    {
        using var server = new FakeFraudEdgeServer();
        using var client = new FraudEdgeClient(server.Options());

        ScoreRequest request = Samples.Purchase(77);
        ScoreResult score = client.Score(in request);
        ScoreRequest bad = Samples.WithBadBin(78);
        ScoreResult rejected = client.Score(in bad);
        OutcomeNotice notice = Samples.IssuerApproved(77);
        OutcomeResult outcome = client.ReportOutcome(in notice);
        Pong pong = client.Ping();
        StatusResponse status = client.GetStatus();
        ScoreRequest[] batch = [Samples.Purchase(80), Samples.WithBadBin(81), Samples.Purchase(82)];
        var results = new ScoreResult[3];
        client.ScoreBatch(batch, results);

        Assert.Equal(77UL, score.Response.EventId);
        Assert.Equal(ProtocolErrorCode.InvalidEvent, rejected.Error.Code);
        Assert.Equal(77UL, outcome.Ack.EventId);
        Assert.Equal(1u, pong.ProtocolVersion);
        Assert.Equal("fe-tok-1", status.Tokenizer);
        Assert.Equal(80UL, results[0].Response.EventId);
        Assert.True(results[1].IsRejected);
        Assert.Equal(82UL, results[2].Response.EventId);
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Status_refused_by_an_older_service_is_a_server_error_and_keeps_the_connection()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            if (request.Header.Type == MessageType.StatusRequest)
            {
                connection.ReplyError(request.Header.RequestId, ProtocolErrorCode.UnknownMessageType, "unknown message type");
                return;
            }

            connection.AnswerDefault(request);
        });
        await using var client = new FraudEdgeClient(server.Options());

        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.GetStatusAsync());

        Assert.Equal(ClientErrorCode.ServerError, e.ErrorCode);
        Assert.Equal(ProtocolErrorCode.UnknownMessageType, e.ServerErrorCode);
        Assert.True(client.IsConnected);
        await client.PingAsync();
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Batch_needs_room_for_every_result()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options());

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await client.ScoreBatchAsync(new[] { Samples.Purchase(1), Samples.Purchase(2) }, new ScoreResult[1]));
    }
}
