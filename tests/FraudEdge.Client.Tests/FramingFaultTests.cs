using FraudEdge.Client.Tests.Fakes;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests;

/// <summary>A service that breaks the framing contract, and one that sends its bytes in the smallest pieces.</summary>
public sealed class FramingFaultTests
{
    /// <summary>Misbehaves on the first request with <paramref name="misbehave"/>, answers the rest properly.</summary>
    private static FakeFraudEdgeServer FirstReply(Action<FakeConnection, ReceivedRequest> misbehave) => new((connection, request) =>
    {
        if (request.Index == 0)
        {
            misbehave(connection, request);
            return;
        }

        connection.AnswerDefault(request);
    });

    private static async Task<FraudEdgeClientException> FirstScoreFails(FakeFraudEdgeServer server, ClientErrorCode expected)
    {
        await using var client = new FraudEdgeClient(server.Options());
        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.ScoreAsync(Samples.Purchase(1)));
        Assert.Equal(expected, e.ErrorCode);
        Assert.False(client.IsConnected);
        // The next call reconnects and is answered properly.
        Assert.Equal(2UL, (await client.ScoreAsync(Samples.Purchase(2))).Response.EventId);
        Assert.Equal(2, server.AcceptedConnections);
        return e;
    }

    [Fact]
    public async Task Mismatched_request_id_is_a_protocol_violation()
    {
        using var server = FirstReply((connection, request) =>
        {
            ScoreRequest.TryRead(request.PayloadSequence, out ScoreRequest score, out _);
            connection.Reply(request.Header.RequestId + 1000, FakeConnection.DecisionFor(in score));
        });

        FraudEdgeClientException e = await FirstScoreFails(server, ClientErrorCode.ProtocolViolation);
        Assert.Contains("1001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mismatched_event_id_is_a_protocol_violation()
    {
        using var server = FirstReply((connection, request) =>
        {
            ScoreRequest.TryRead(request.PayloadSequence, out ScoreRequest score, out _);
            ScoreResponse response = FakeConnection.DecisionFor(in score);
            response.EventId++;
            connection.Reply(request.Header.RequestId, response);
        });

        await FirstScoreFails(server, ClientErrorCode.ProtocolViolation);
    }

    [Fact]
    public async Task Wrong_response_type_is_a_protocol_violation()
    {
        using var server = FirstReply((connection, request) =>
            connection.Reply(request.Header.RequestId, new Pong { ProtocolVersion = 1 }));

        await FirstScoreFails(server, ClientErrorCode.ProtocolViolation);
    }

    [Fact]
    public async Task Undecodable_payload_is_a_protocol_violation()
    {
        using var server = FirstReply((connection, request) =>
        {
            byte[] frame = FakeConnection.Encode(request.Header.RequestId, new Ack { EventId = 1 });
            frame[5] = (byte)MessageType.ScoreResponse; // an Ack's payload under a ScoreResponse header: keys missing
            connection.SendRaw(frame);
        });

        await FirstScoreFails(server, ClientErrorCode.ProtocolViolation);
    }

    [Fact]
    public async Task Unsupported_version_is_a_protocol_violation()
    {
        using var server = FirstReply((connection, request) =>
        {
            ScoreRequest.TryRead(request.PayloadSequence, out ScoreRequest score, out _);
            byte[] frame = FakeConnection.Encode(request.Header.RequestId, FakeConnection.DecisionFor(in score));
            frame[4] = 2;
            connection.SendRaw(frame);
        });

        await FirstScoreFails(server, ClientErrorCode.ProtocolViolation);
    }

    [Fact]
    public async Task Oversize_length_is_FrameTooLarge_decided_on_the_length_alone()
    {
        // 4097 announced, only the length and a few bytes sent: the client must not wait for the rest.
        using var server = FirstReply((connection, request) => connection.SendRaw([0x00, 0x00, 0x10, 0x01, 0x01, 0x02]));

        await FirstScoreFails(server, ClientErrorCode.FrameTooLarge);
    }

    [Fact]
    public async Task Response_sent_one_byte_at_a_time_is_read_whole()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            if (request.Header.Type == MessageType.ScoreRequest)
            {
                ScoreRequest.TryRead(request.PayloadSequence, out ScoreRequest score, out _);
                connection.ReplyBytewise(request.Header.RequestId, FakeConnection.DecisionFor(in score));
                return;
            }

            connection.AnswerDefault(request);
        });
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 5000));
        ScoreRequest syncRequest = Samples.Purchase(2);

        ScoreResult asyncResult = await client.ScoreAsync(Samples.Purchase(1));
        ScoreResult syncResult = client.Score(in syncRequest);
        var batch = new ScoreResult[3];
        await client.ScoreBatchAsync(new[] { Samples.Purchase(3), Samples.Purchase(4), Samples.Purchase(5) }, batch);

        Assert.Equal(1UL, asyncResult.Response.EventId);
        Assert.Equal("1.0.0", asyncResult.Response.ModelVersion.ToString());
        Assert.Equal(2UL, syncResult.Response.EventId);
        Assert.Equal(new ulong[] { 3, 4, 5 }, batch.Select(r => r.Response.EventId));
        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Error_frame_sent_one_byte_at_a_time_is_a_rejection()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
            connection.ReplyBytewise(request.Header.RequestId, new ErrorResponse
            {
                Code = ProtocolErrorCode.InvalidEvent,
                Message = "BIN must be 6 to 8 digits with a non-zero first digit",
                Field = "bin",
                Detail = FakeFraudEdgeServer.InvalidBinDetail,
            }));
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 5000));

        ScoreResult result = await client.ScoreAsync(Samples.WithBadBin(3));

        Assert.True(result.IsRejected);
        Assert.Equal(FakeFraudEdgeServer.InvalidBinDetail, result.Error.Detail);
        Assert.Equal("BIN must be 6 to 8 digits with a non-zero first digit", result.Error.Message);
    }

    [Fact]
    public async Task Two_responses_in_one_read_are_both_used_in_a_batch()
    {
        // Both responses in one write: the second one waits in the client's receive buffer.
        var held = new List<ReceivedRequest>();
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            held.Add(request);
            if (held.Count == 2)
            {
                var bytes = new List<byte>();
                foreach (ReceivedRequest r in held)
                {
                    ScoreRequest.TryRead(r.PayloadSequence, out ScoreRequest score, out _);
                    bytes.AddRange(FakeConnection.Encode(r.Header.RequestId, FakeConnection.DecisionFor(in score)));
                }

                connection.SendRaw(bytes.ToArray());
            }
        });
        await using var client = new FraudEdgeClient(server.Options());
        var results = new ScoreResult[2];

        await client.ScoreBatchAsync(new[] { Samples.Purchase(10), Samples.Purchase(11) }, results);

        Assert.Equal(10UL, results[0].Response.EventId);
        Assert.Equal(11UL, results[1].Response.EventId);
    }

    [Fact]
    public void Request_over_MaxFrameBytes_is_FrameTooLarge_and_nothing_is_sent()
    {
        using var server = new FakeFraudEdgeServer();
        FraudEdgeClientOptions options = server.Options();
        options.MaxFrameBytes = 64; // a score request is ~100 bytes
        using var client = new FraudEdgeClient(options);
        ScoreRequest request = Samples.Purchase(1);

        var e = Assert.Throws<FraudEdgeClientException>(() => client.Score(in request));

        Assert.Equal(ClientErrorCode.FrameTooLarge, e.ErrorCode);
        Assert.Equal(1u, client.Ping().ProtocolVersion);
        Assert.Equal(1, server.RequestsReceived);
    }
}
