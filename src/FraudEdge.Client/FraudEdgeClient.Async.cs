using System.Net.Sockets;
using System.Runtime.CompilerServices;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>
/// The async path: Socket.SendAsync/ReceiveAsync on Memory (ValueTask overloads backed by the socket's cached event
/// args), pooled state machines, and one reusable CancellationTokenSource for the request timeout.
/// </summary>
public sealed partial class FraudEdgeClient
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Reply<TResponse>> ExchangeAsync<TRequest, TResponse>(TRequest request, bool idempotent,
        CancellationToken cancellationToken)
        where TRequest : struct, IProtocolMessage<TRequest>
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        for (int attempt = 0; ; attempt++)
        {
            Socket? kept = _socket;
            Socket socket = kept ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            uint requestId = TakeRequestId();
            WriteFrame(requestId, in request);

            CancellationToken timeout = ArmTimeout(cancellationToken);
            try
            {
                if (await SendAsync(socket, _send.WrittenMemory, timeout).ConfigureAwait(false))
                {
                    Reply<TResponse> reply = await ReceiveAsync<TResponse>(socket, requestId, timeout).ConfigureAwait(false);
                    if (reply.Kind != ReplyKind.ClosedBeforeReply)
                    {
                        return reply;
                    }

                    // The request was written: only a request that may be repeated is sent again.
                    if (!idempotent)
                    {
                        ThrowConnectionLost(socket);
                    }
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowHelper.ThrowTimeout(_requestTimeout, e);
            }
            finally
            {
                DisarmTimeout();
            }

            // The kept connection had been closed by the service: reconnect and send again (see the class remarks).
            if (kept is null || attempt >= _reconnectAttempts)
            {
                ThrowConnectionLost(socket);
            }

            Discard();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExchangeBatchAsync(ReadOnlyMemory<ScoreRequest> requests, Memory<ScoreResult> results,
        CancellationToken cancellationToken)
    {
        int attempt = 0;
        int answered = 0;
        while (answered < requests.Length)
        {
            Socket? kept = _socket;
            Socket socket = kept ?? await ConnectAsync(cancellationToken).ConfigureAwait(false);
            int end = WriteBatchWindow(requests.Span, answered, out uint requestId);

            CancellationToken timeout = ArmTimeout(cancellationToken);
            try
            {
                if (!await SendAsync(socket, _send.WrittenMemory, timeout).ConfigureAwait(false))
                {
                    // Only the first window may find the kept connection closed; nothing of the batch went out yet.
                    if (answered != 0 || kept is null || attempt >= _reconnectAttempts)
                    {
                        ThrowConnectionLost(socket);
                    }

                    attempt++;
                    Discard();
                    continue;
                }

                for (int i = answered; i < end; i++)
                {
                    Reply<ScoreResponse> reply = await ReceiveAsync<ScoreResponse>(socket, requestId, timeout)
                        .ConfigureAwait(false);
                    if (reply.Kind == ReplyKind.ClosedBeforeReply)
                    {
                        ThrowConnectionLost(socket);
                    }

                    results.Span[i] = ToScoreResult(requests.Span[i].EventId, in reply);
                    requestId = NextRequestId(requestId);
                    RestartTimeout();
                }
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowHelper.ThrowTimeout(_requestTimeout, e);
            }
            finally
            {
                DisarmTimeout();
            }

            answered = end;
        }
    }

    private async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        // Connecting is rare (first call, after a failure): a linked source per connect is acceptable.
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_connectTimeout != Timeout.InfiniteTimeSpan)
        {
            connectTimeout.CancelAfter(_connectTimeout);
        }

        try
        {
            await socket.ConnectAsync(_endPoint, connectTimeout.Token).ConfigureAwait(false);
            // Only the sync path uses these; set them so a client may mix sync and async calls.
            socket.SendTimeout = _requestTimeoutMs;
            socket.ReceiveTimeout = _requestTimeoutMs;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            ThrowHelper.ThrowConnectTimeout(_socketPath, _connectTimeout, e);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            ThrowHelper.ThrowConnectFailed(_socketPath, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Adopt(socket);
    }

    /// <summary>Writes all of <paramref name="frames"/>. False: the connection was found closed before any byte was written.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendAsync(Socket socket, ReadOnlyMemory<byte> frames, CancellationToken timeout)
    {
        int sent = 0;
        while (sent < frames.Length)
        {
            int written;
            try
            {
                written = await socket.SendAsync(frames[sent..], SocketFlags.None, timeout).ConfigureAwait(false);
            }
            catch (SocketException e) when (sent == 0 && IsPeerGone(e.SocketErrorCode))
            {
                return false;
            }
            catch (SocketException e)
            {
                throw new FraudEdgeClientException(ClientErrorCode.ConnectionClosed,
                    $"The connection to fraudedged failed while writing a request: {e.SocketErrorCode}.", e);
            }

            sent += written;
        }

        return true;
    }

    /// <summary>
    /// Reads the reply to <paramref name="requestId"/>, from bytes already buffered and then from the socket.
    /// ClosedBeforeReply: the connection ended before any byte of the reply.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Reply<TResponse>> ReceiveAsync<TResponse>(Socket socket, uint requestId,
        CancellationToken timeout)
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        bool receivedAny = _receiveEnd > _receiveStart;
        Reply<TResponse> reply;
        while (!TryTakeReply(requestId, out reply))
        {
            CompactReceiveBuffer();
            int received;
            try
            {
                received = await socket.ReceiveAsync(_receive.AsMemory(_receiveEnd), SocketFlags.None, timeout)
                    .ConfigureAwait(false);
            }
            catch (SocketException e) when (!receivedAny && IsPeerGone(e.SocketErrorCode))
            {
                return Reply<TResponse>.ClosedBeforeReply;
            }
            catch (SocketException e)
            {
                throw new FraudEdgeClientException(ClientErrorCode.ConnectionClosed,
                    $"The connection to fraudedged failed while reading a response: {e.SocketErrorCode}.", e);
            }

            if (received == 0)
            {
                if (!receivedAny)
                {
                    return Reply<TResponse>.ClosedBeforeReply;
                }

                ThrowHelper.ThrowConnectionClosed();
            }

            _receiveEnd += received;
            receivedAny = true;
        }

        return reply;
    }

    /// <summary>
    /// Starts the request timeout on the reused source and links the caller's token to it (a registration, not a
    /// linked source, so nothing is allocated per call when the caller's token is reused).
    /// </summary>
    private CancellationToken ArmTimeout(CancellationToken cancellationToken)
    {
        CancellationTokenSource source = _timeoutSource;
        if (cancellationToken.CanBeCanceled)
        {
            _callerRegistration = cancellationToken.UnsafeRegister(
                static state => ((CancellationTokenSource)state!).Cancel(), source);
        }

        RestartTimeout();
        return source.Token;
    }

    private void RestartTimeout()
    {
        if (_requestTimeout != Timeout.InfiniteTimeSpan)
        {
            _timeoutSource.CancelAfter(_requestTimeout);
        }
    }

    private void DisarmTimeout()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        if (!_timeoutSource.TryReset())
        {
            // It fired (timeout or the caller's cancellation): a fired source cannot be reused.
            _timeoutSource.Dispose();
            _timeoutSource = new CancellationTokenSource();
        }
    }
}
