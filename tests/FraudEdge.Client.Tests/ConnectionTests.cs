using System.Diagnostics;
using FraudEdge.Client.Tests.Fakes;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests;

/// <summary>Timeouts, reconnection and the retry rule (see FraudEdgeClient's remarks).</summary>
public sealed class ConnectionTests
{
    /// <summary>Stalls (never answers) the first request, answers the rest.</summary>
    private static FakeFraudEdgeServer StallFirst() => new((connection, request) =>
    {
        if (request.Index != 0)
        {
            connection.AnswerDefault(request);
        }
    });

    [Fact]
    public async Task Timeout_throws_discards_the_connection_and_the_next_call_reconnects()
    {
        using var server = StallFirst();
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 200));

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.ScoreAsync(Samples.Purchase(1)));
        watch.Stop();

        Assert.Equal(ClientErrorCode.Timeout, e.ErrorCode);
        Assert.InRange(watch.ElapsedMilliseconds, 150, 3000);
        Assert.False(client.IsConnected);

        ScoreResult next = await client.ScoreAsync(Samples.Purchase(2));
        Assert.Equal(2UL, next.Response.EventId);
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public void Sync_timeout_throws_and_the_next_call_reconnects()
    {
        using var server = StallFirst();
        using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 200));
        ScoreRequest first = Samples.Purchase(1);
        ScoreRequest second = Samples.Purchase(2);

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<FraudEdgeClientException>(() => client.Score(in first));
        watch.Stop();

        Assert.Equal(ClientErrorCode.Timeout, e.ErrorCode);
        Assert.InRange(watch.ElapsedMilliseconds, 150, 3000);
        Assert.Equal(2UL, client.Score(in second).Response.EventId);
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public void Sync_timeout_holds_for_a_reply_that_stops_halfway()
    {
        // Half a frame, then silence: each Receive is bounded by the socket timeout, the whole reply by the deadline.
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            byte[] frame = FakeConnection.Encode(request.Header.RequestId, new Pong { ProtocolVersion = 1 });
            connection.SendRaw(frame.AsSpan(0, 6));
        });
        using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 200));

        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<FraudEdgeClientException>(() => client.Ping());

        Assert.Equal(ClientErrorCode.Timeout, e.ErrorCode);
        Assert.InRange(watch.ElapsedMilliseconds, 150, 3000);
    }

    [Fact]
    public async Task Caller_cancellation_throws_OperationCanceled_and_the_next_call_reconnects()
    {
        using var server = StallFirst();
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 10_000));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.ScoreAsync(Samples.Purchase(1), cancel.Token));

        Assert.False(client.IsConnected);
        Assert.True((await client.ScoreAsync(Samples.Purchase(2))).Success);
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public async Task Server_closing_between_calls_the_next_ping_reconnects_transparently()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            connection.AnswerDefault(request);
            if (request.Index == 0)
            {
                connection.Close(); // as fraudedged's idle timeout does: no Error frame
            }
        });
        await using var client = new FraudEdgeClient(server.Options());

        await client.PingAsync();
        Assert.True(server.Connection(0).Closed.Wait(TimeSpan.FromSeconds(5)));
        Assert.True(client.IsConnected); // the client cannot know yet

        Pong pong = await client.PingAsync();

        Assert.Equal(1u, pong.ProtocolVersion);
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("async")]
    [InlineData("batch")]
    public async Task Score_on_a_connection_closed_while_idle_is_sent_again_since_nothing_was_written(string mode)
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            connection.AnswerDefault(request);
            if (request.Index == 0)
            {
                connection.Close();
            }
        });
        await using var client = new FraudEdgeClient(server.Options());
        ScoreRequest first = Samples.Purchase(1);
        ScoreRequest second = Samples.Purchase(2);

        Assert.True(client.Score(in first).Success);
        Assert.True(server.Connection(0).Closed.Wait(TimeSpan.FromSeconds(5)));
        ScoreResult result;
        switch (mode)
        {
            case "sync":
                result = client.Score(in second);
                break;
            case "async":
                result = await client.ScoreAsync(second);
                break;
            default:
                var results = new ScoreResult[1];
                await client.ScoreBatchAsync(new[] { second }, results);
                result = results[0];
                break;
        }

        Assert.Equal(2UL, result.Response.EventId);
        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal(2, server.RequestsReceived); // the second request reached the service exactly once
    }

    [Fact]
    public async Task Score_whose_request_was_written_is_not_sent_again_when_the_connection_drops()
    {
        // Request 0 (a Ping) opens the connection; request 1 (the Score) is read, then the connection is dropped.
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            if (request.Index == 1)
            {
                connection.Close();
                return;
            }

            connection.AnswerDefault(request);
        });
        await using var client = new FraudEdgeClient(server.Options());
        await client.PingAsync();

        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.ScoreAsync(Samples.Purchase(1)));

        Assert.Equal(ClientErrorCode.ConnectionClosed, e.ErrorCode);
        Assert.Equal(2, server.RequestsReceived);
        Assert.Equal(1, server.AcceptedConnections);
        Assert.False(client.IsConnected);
        Assert.True((await client.ScoreAsync(Samples.Purchase(2))).Success);
    }

    [Fact]
    public async Task Ping_whose_request_was_written_is_sent_again_when_the_connection_drops()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            if (request.Index == 1)
            {
                connection.Close();
                return;
            }

            connection.AnswerDefault(request);
        });
        await using var client = new FraudEdgeClient(server.Options());
        await client.PingAsync();

        Pong pong = await client.PingAsync();

        Assert.Equal(1u, pong.ProtocolVersion);
        Assert.Equal(3, server.RequestsReceived);
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public void No_retry_when_reconnect_attempts_is_zero()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            connection.AnswerDefault(request);
            connection.Close();
        });
        FraudEdgeClientOptions options = server.Options();
        options.ReconnectAttempts = 0;
        using var client = new FraudEdgeClient(options);

        client.Ping();
        Assert.True(server.Connection(0).Closed.Wait(TimeSpan.FromSeconds(5)));
        var e = Assert.Throws<FraudEdgeClientException>(() => client.Ping());

        Assert.Equal(ClientErrorCode.ConnectionClosed, e.ErrorCode);
        client.Ping(); // the failed call discarded the connection: this one connects afresh
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public async Task Error_frame_before_close_is_reported_with_its_code()
    {
        using var server = new FakeFraudEdgeServer((connection, request) =>
        {
            connection.ReplyError(0, ProtocolErrorCode.ShuttingDown, "the service is stopping");
            connection.Close();
        });
        await using var client = new FraudEdgeClient(server.Options());

        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.ScoreAsync(Samples.Purchase(1)));

        Assert.Equal(ClientErrorCode.ServerClosedConnection, e.ErrorCode);
        Assert.Equal(ProtocolErrorCode.ShuttingDown, e.ServerErrorCode);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connection_refused_on_accept_reports_the_servers_code()
    {
        // Over max_connections: fraudedged writes Error 11 ServerBusy (request id 0) and closes, before reading.
        using var server = new FakeFraudEdgeServer();
        server.OnAccept = connection =>
        {
            connection.ReplyError(0, ProtocolErrorCode.ServerBusy, "too many connections");
            connection.Close();
        };
        await using var client = new FraudEdgeClient(server.Options());

        var e = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.PingAsync());

        Assert.Equal(ClientErrorCode.ServerClosedConnection, e.ErrorCode);
        Assert.Equal(ProtocolErrorCode.ServerBusy, e.ServerErrorCode);
        Assert.Equal(1, server.AcceptedConnections); // a fresh connection is never retried
    }

    [Fact]
    public async Task No_service_is_ConnectFailed()
    {
        string path = Path.Combine(Path.GetTempPath(), "fe-client-none-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        await using var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = path });

        var async = await Assert.ThrowsAsync<FraudEdgeClientException>(async () => await client.PingAsync());
        var sync = Assert.Throws<FraudEdgeClientException>(() => client.Ping());

        Assert.Equal(ClientErrorCode.ConnectFailed, async.ErrorCode);
        Assert.Equal(ClientErrorCode.ConnectFailed, sync.ErrorCode);
        Assert.Contains(path, sync.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposed_client_throws_ObjectDisposed()
    {
        using var server = new FakeFraudEdgeServer();
        var client = new FraudEdgeClient(server.Options());
        await client.PingAsync();

        await client.DisposeAsync();

        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.PingAsync());
        Assert.Throws<ObjectDisposedException>(() => client.Ping());
        client.Dispose(); // twice is fine
    }

    [Fact]
    public async Task Calls_from_many_threads_are_serialised_on_one_connection()
    {
        using var server = new FakeFraudEdgeServer();
        await using var client = new FraudEdgeClient(server.Options(requestTimeoutMs: 5000));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

        // Sync callers on dedicated threads (blocking a pool thread would starve the async callers' continuations)
        // and async callers on the pool, all on one client.
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 25; i++)
                {
                    ScoreRequest request = Samples.Purchase((ulong)(t * 1000 + i + 1));
                    Assert.Equal(request.EventId, client.Score(in request).Response.EventId);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        await Task.WhenAll(Enumerable.Range(4, 4).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                ScoreRequest request = Samples.Purchase((ulong)(t * 1000 + i + 1));
                Assert.Equal(request.EventId, (await client.ScoreAsync(request)).Response.EventId);
            }
        })));
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
        Assert.Equal(1, server.AcceptedConnections);
        Assert.Equal(200, server.RequestsReceived);
    }
}
