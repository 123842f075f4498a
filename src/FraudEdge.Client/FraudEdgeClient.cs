using System.Net.Sockets;
using System.Runtime.CompilerServices;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>
/// Talks to <c>fraudedged</c> over its Unix domain socket (docs/protocol.md): score transactions, report their
/// outcomes, ping, read the service status.
/// <para>
/// <b>Connection.</b> One connection, opened on the first call and kept open across calls (§1: clients should reuse
/// it). After a timeout, a protocol violation, a cancelled call or any transport failure the connection is discarded
/// (a late response would be out of step with the next request) and the next call connects again.
/// </para>
/// <para>
/// <b>Retry rule.</b> When the kept connection turns out to have been closed by the service (idle timeout §6, restart),
/// a call reconnects and sends its request again, at most <see cref="FraudEdgeClientOptions.ReconnectAttempts"/> times,
/// only where that cannot make the service act twice:
/// Ping and StatusRequest (idempotent) are sent again whenever the old connection failed before any byte of the reply
/// arrived; ScoreRequest and OutcomeNotice (each one is recorded in the history) are sent again only when the old
/// connection failed before any byte of the request was written to it, which is how a connection closed by the
/// service while idle shows itself on a Unix socket (the write fails with EPIPE). A Score whose request was written
/// is never sent again: the failure is reported and the host decides (e.g. the terminal's offline fallback).
/// A batch is retried under the same rule only if its first write failed before any byte.
/// </para>
/// <para>
/// <b>Results and exceptions.</b> A request the service refuses with the connection left open (InvalidEvent, MissingField,
/// …) is a result: <see cref="ScoreResult.IsRejected"/>, <see cref="OutcomeResult.IsRejected"/>. Transport failures
/// throw <see cref="FraudEdgeClientException"/> with a <see cref="ClientErrorCode"/>; cancellation through the caller's
/// token throws <see cref="OperationCanceledException"/>.
/// </para>
/// <para>
/// <b>Threads.</b> Calls on one client are serialised (a SemaphoreSlim): share one client and accept that calls wait
/// for each other, or give each thread its own client (one connection each, counted against the service's
/// <c>max_connections</c>) for the best latency. For many decisions at once use <see cref="ScoreBatchAsync"/>,
/// which pipelines them on one connection.
/// </para>
/// <para>
/// <b>Allocation.</b> The send buffer, the receive buffer (<see cref="FraudEdgeClientOptions.MaxFrameBytes"/> + 4) and
/// the frame writer are allocated once with the client. Sync path: blocking Socket.Send/Receive on spans; after
/// warm-up a Score, ReportOutcome or Ping allocates nothing (AllocationTests). This holds for a client used
/// synchronously only: once a socket has carried an async call it is non-blocking, and a sync call that has to wait
/// then allocates an operation object. Async path: the socket's cached awaitable event args, pooled state machines and
/// one reused timeout source, designed not to allocate in steady state. GetStatus and refusals allocate their
/// strings; connecting and failures allocate.
/// </para>
/// </summary>
public sealed partial class FraudEdgeClient : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// A batch is written in windows of about this many bytes (~100 score requests), each flushed with one write and
    /// then answered, so neither side's socket buffer can fill while the other is not reading.
    /// </summary>
    private const int BatchWindowBytes = 16 * 1024;

    private readonly string _socketPath;
    private readonly UnixDomainSocketEndPoint _endPoint;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _requestTimeout;
    private readonly int _connectTimeoutMs;
    private readonly int _requestTimeoutMs;
    private readonly long _requestTimeoutTicks;
    private readonly int _maxFrameBytes;
    private readonly int _reconnectAttempts;

    private readonly FrameWriter _frameWriter;
    private readonly SendBuffer _send;
    private readonly byte[] _receive;
    private int _receiveStart;
    private int _receiveEnd;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource _timeoutSource = new();
    private CancellationTokenRegistration _callerRegistration;
    private Socket? _socket;
    private uint _nextRequestId = 1;
    private int _disposed;

    public FraudEdgeClient(FraudEdgeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.SocketPath, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFrameBytes, 64, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxFrameBytes, 16 * 1024 * 1024, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReconnectAttempts, nameof(options));

        _socketPath = options.SocketPath;
        _endPoint = new UnixDomainSocketEndPoint(options.SocketPath);
        _connectTimeout = options.ConnectTimeout;
        _requestTimeout = options.RequestTimeout;
        _connectTimeoutMs = ToSocketTimeout(options.ConnectTimeout);
        _requestTimeoutMs = ToSocketTimeout(options.RequestTimeout);
        _requestTimeoutTicks = _requestTimeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : (long)(_requestTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _maxFrameBytes = options.MaxFrameBytes;
        _reconnectAttempts = options.ReconnectAttempts;

        _frameWriter = new FrameWriter(_maxFrameBytes);
        _send = new SendBuffer(Math.Max(BatchWindowBytes, 2 * FrameRoom));
        _receive = new byte[_maxFrameBytes + FrameCodec.LengthPrefixBytes];
    }

    /// <summary>True while a connection is kept open (it may still turn out to have been closed by the service).</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>Room one frame may need in the send buffer.</summary>
    private int FrameRoom => _maxFrameBytes + FrameCodec.LengthPrefixBytes;

    // ---- Async API -------------------------------------------------------------------------------------------

    /// <summary>Asks for a decision on one transaction. A refusal (e.g. InvalidEvent) is a result; see <see cref="ScoreResult"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ScoreResult> ScoreAsync(ScoreRequest request, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reply<ScoreResponse> reply = await ExchangeAsync<ScoreRequest, ScoreResponse>(request, idempotent: false,
                cancellationToken).ConfigureAwait(false);
            return ToScoreResult(request.EventId, in reply);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reports what happened to an earlier event (issuer response, fraud report, chargeback).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<OutcomeResult> ReportOutcomeAsync(OutcomeNotice notice, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reply<Ack> reply = await ExchangeAsync<OutcomeNotice, Ack>(notice, idempotent: false, cancellationToken)
                .ConfigureAwait(false);
            return ToOutcomeResult(notice.EventId, in reply);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks that the service answers; retried once on a connection the service had closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Pong> PingAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reply<Pong> reply = await ExchangeAsync<Protocol.Messages.Ping, Pong>(default, idempotent: true,
                cancellationToken).ConfigureAwait(false);
            return ResponseOrThrow(in reply, MessageType.Ping);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the service's version, model, counters and memory (§4.6). Allocates its strings.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<StatusResponse> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Reply<StatusResponse> reply = await ExchangeAsync<StatusRequest, StatusResponse>(default, idempotent: true,
                cancellationToken).ConfigureAwait(false);
            return ResponseOrThrow(in reply, MessageType.StatusRequest);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Scores many transactions on one connection with pipelining (§6): writes a window of requests (about 16 KiB,
    /// ~100 score requests) with one write, then reads their responses in order (the service answers in request
    /// order), window after window. <paramref name="results"/>[i] answers <paramref name="requests"/>[i].
    /// <see cref="FraudEdgeClientOptions.RequestTimeout"/> applies to each response in turn. On an exception the
    /// batch failed as a whole: some requests may have been decided, and <paramref name="results"/> is partly written.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ScoreBatchAsync(ReadOnlyMemory<ScoreRequest> requests, Memory<ScoreResult> results,
        CancellationToken cancellationToken = default)
    {
        if (results.Length < requests.Length)
        {
            throw new ArgumentException("results must be at least as long as requests.", nameof(results));
        }

        if (requests.IsEmpty)
        {
            return;
        }

        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExchangeBatchAsync(requests, results, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    // ---- Sync API --------------------------------------------------------------------------------------------

    /// <summary>Synchronous <see cref="ScoreAsync"/> for host code that is not async: blocking socket calls with timeouts.</summary>
    public ScoreResult Score(in ScoreRequest request)
    {
        EnterSync();
        try
        {
            Reply<ScoreResponse> reply = ExchangeSync<ScoreRequest, ScoreResponse>(in request, idempotent: false);
            return ToScoreResult(request.EventId, in reply);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="ReportOutcomeAsync"/>.</summary>
    public OutcomeResult ReportOutcome(in OutcomeNotice notice)
    {
        EnterSync();
        try
        {
            Reply<Ack> reply = ExchangeSync<OutcomeNotice, Ack>(in notice, idempotent: false);
            return ToOutcomeResult(notice.EventId, in reply);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="PingAsync"/>.</summary>
    public Pong Ping()
    {
        EnterSync();
        try
        {
            Protocol.Messages.Ping request = default;
            Reply<Pong> reply = ExchangeSync<Protocol.Messages.Ping, Pong>(in request, idempotent: true);
            return ResponseOrThrow(in reply, MessageType.Ping);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="GetStatusAsync"/>.</summary>
    public StatusResponse GetStatus()
    {
        EnterSync();
        try
        {
            StatusRequest request = default;
            Reply<StatusResponse> reply = ExchangeSync<StatusRequest, StatusResponse>(in request, idempotent: true);
            return ResponseOrThrow(in reply, MessageType.StatusRequest);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Synchronous <see cref="ScoreBatchAsync"/>.</summary>
    public void ScoreBatch(ReadOnlySpan<ScoreRequest> requests, Span<ScoreResult> results)
    {
        if (results.Length < requests.Length)
        {
            throw new ArgumentException("results must be at least as long as requests.", nameof(results));
        }

        if (requests.IsEmpty)
        {
            return;
        }

        EnterSync();
        try
        {
            ExchangeBatchSync(requests, results);
        }
        catch (Exception e)
        {
            OnCallFailed(e);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    // ---- Lifetime --------------------------------------------------------------------------------------------

    /// <summary>Closes the connection. A call in flight on another thread fails; later calls throw ObjectDisposedException.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Closing the socket first aborts a call in flight on another thread.
        Interlocked.Exchange(ref _socket, null)?.Dispose();
        if (_gate.Wait(0))
        {
            // No call in flight: nothing can touch the timeout source any more (callers check _disposed under the gate).
            _timeoutSource.Dispose();
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- Shared helpers --------------------------------------------------------------------------------------

    private void EnterSync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _gate.Wait();
        if (Volatile.Read(ref _disposed) != 0)
        {
            _gate.Release();
            ObjectDisposedException.ThrowIf(true, this);
        }
    }

    private ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Task wait = _gate.WaitAsync(cancellationToken);
        if (wait.IsCompletedSuccessfully && Volatile.Read(ref _disposed) == 0)
        {
            return ValueTask.CompletedTask;
        }

        return EnterAsyncSlow(wait);
    }

    private async ValueTask EnterAsyncSlow(Task wait)
    {
        await wait.ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
        {
            _gate.Release();
            ObjectDisposedException.ThrowIf(true, this);
        }
    }

    /// <summary>
    /// A failed call leaves the stream out of step (a response may still be on its way) unless the service refused a
    /// Ping/Status with an Error that keeps the connection open: discard the connection in every other case.
    /// </summary>
    private void OnCallFailed(Exception exception)
    {
        if (exception is FraudEdgeClientException { ErrorCode: ClientErrorCode.ServerError })
        {
            return;
        }

        Discard();
    }

    private void Discard()
    {
        _receiveStart = 0;
        _receiveEnd = 0;
        Interlocked.Exchange(ref _socket, null)?.Dispose();
    }

    /// <summary>Request ids count from 1 and skip 0, which the service uses for errors not tied to a request (§2).</summary>
    private uint TakeRequestId()
    {
        uint id = _nextRequestId;
        _nextRequestId = NextRequestId(id);
        return id;
    }

    private static uint NextRequestId(uint id) => id == uint.MaxValue ? 1 : id + 1;

    private static int ToSocketTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "Timeouts must be positive (at most int.MaxValue ms) or Timeout.InfiniteTimeSpan.");
        }

        return (int)Math.Ceiling(timeout.TotalMilliseconds);
    }

    private static ScoreResult ToScoreResult(ulong eventId, in Reply<ScoreResponse> reply)
    {
        if (reply.Kind == ReplyKind.Error)
        {
            return new ScoreResult(in reply.Error);
        }

        if (reply.Response.EventId != eventId)
        {
            ThrowHelper.ThrowEventIdMismatch(eventId, reply.Response.EventId);
        }

        return new ScoreResult(in reply.Response);
    }

    private static OutcomeResult ToOutcomeResult(ulong eventId, in Reply<Ack> reply)
    {
        if (reply.Kind == ReplyKind.Error)
        {
            return new OutcomeResult(in reply.Error);
        }

        if (reply.Response.EventId != eventId)
        {
            ThrowHelper.ThrowEventIdMismatch(eventId, reply.Response.EventId);
        }

        return new OutcomeResult(in reply.Response);
    }

    private static TResponse ResponseOrThrow<TResponse>(in Reply<TResponse> reply, MessageType request)
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        if (reply.Kind == ReplyKind.Error)
        {
            ThrowHelper.ThrowServerError(reply.Error.Code, reply.Error.Message, request);
        }

        return reply.Response;
    }
}
