using System.Diagnostics;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>
/// The blocking path: Socket.Connect/Send/Receive on spans with the socket's send and receive timeouts. A socket that
/// never carried an async call stays in blocking mode, where these calls allocate nothing.
/// </summary>
public sealed partial class FraudEdgeClient
{
    private Reply<TResponse> ExchangeSync<TRequest, TResponse>(in TRequest request, bool idempotent)
        where TRequest : struct, IProtocolMessage<TRequest>
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        for (int attempt = 0; ; attempt++)
        {
            Socket? kept = _socket;
            Socket socket = kept ?? ConnectSync();
            uint requestId = TakeRequestId();
            WriteFrame(requestId, in request);

            if (SendSync(socket, _send.WrittenSpan))
            {
                Reply<TResponse> reply = ReceiveSync<TResponse>(socket, requestId);
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

            // The kept connection had been closed by the service (nothing of the request went out, or an idempotent
            // request got no byte back): reconnect and send again.
            if (kept is null || attempt >= _reconnectAttempts)
            {
                ThrowConnectionLost(socket);
            }

            Discard();
        }
    }

    private void ExchangeBatchSync(ReadOnlySpan<ScoreRequest> requests, Span<ScoreResult> results)
    {
        int attempt = 0;
        int answered = 0;
        while (answered < requests.Length)
        {
            Socket? kept = _socket;
            Socket socket = kept ?? ConnectSync();
            int end = WriteBatchWindow(requests, answered, out uint requestId);
            if (!SendSync(socket, _send.WrittenSpan))
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
                Reply<ScoreResponse> reply = ReceiveSync<ScoreResponse>(socket, requestId);
                if (reply.Kind == ReplyKind.ClosedBeforeReply)
                {
                    ThrowConnectionLost(socket);
                }

                results[i] = ToScoreResult(requests[i].EventId, in reply);
                requestId = NextRequestId(requestId);
            }

            answered = end;
        }
    }

    private Socket ConnectSync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // Linux: a blocking connect() to a Unix socket whose accept backlog is full waits up to SO_SNDTIMEO.
            socket.SendTimeout = _connectTimeoutMs;
            socket.Connect(_endPoint);
            socket.SendTimeout = _requestTimeoutMs;
            socket.ReceiveTimeout = _requestTimeoutMs;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            if (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                ThrowHelper.ThrowConnectTimeout(_socketPath, _connectTimeout, e);
            }

            ThrowHelper.ThrowConnectFailed(_socketPath, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return Adopt(socket);
    }

    /// <summary>Keeps a freshly connected socket, unless the client was disposed meanwhile.</summary>
    private Socket Adopt(Socket socket)
    {
        _receiveStart = 0;
        _receiveEnd = 0;
        _socket = socket;
        if (Volatile.Read(ref _disposed) != 0)
        {
            Discard();
            ObjectDisposedException.ThrowIf(true, this);
        }

        return socket;
    }

    /// <summary>Writes all of <paramref name="frames"/>. False: the connection was found closed before any byte was written.</summary>
    private bool SendSync(Socket socket, ReadOnlySpan<byte> frames)
    {
        int sent = 0;
        while (sent < frames.Length)
        {
            int written = socket.Send(frames[sent..], SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                if (sent == 0 && IsPeerGone(error))
                {
                    return false;
                }

                ThrowHelper.ThrowSocketError(error, _requestTimeout, sending: true);
            }

            sent += written;
        }

        return true;
    }

    /// <summary>
    /// Reads the reply to <paramref name="requestId"/>, from bytes already buffered and then from the socket.
    /// ClosedBeforeReply: the connection ended before any byte of the reply.
    /// </summary>
    private Reply<TResponse> ReceiveSync<TResponse>(Socket socket, uint requestId)
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        bool receivedAny = _receiveEnd > _receiveStart;
        bool waited = false;
        long deadline = 0;
        Reply<TResponse> reply;
        while (!TryTakeReply(requestId, out reply))
        {
            CompactReceiveBuffer();
            if (!waited)
            {
                // The first Receive is bounded by the socket's receive timeout (= RequestTimeout).
                waited = true;
                deadline = _requestTimeoutTicks == long.MaxValue ? long.MaxValue : Stopwatch.GetTimestamp() + _requestTimeoutTicks;
            }
            else if (!WaitReadable(socket, deadline))
            {
                // A reply arriving in pieces: the socket timeout bounds each Receive, the deadline the whole reply.
                ThrowHelper.ThrowTimeout(_requestTimeout);
            }

            int received = socket.Receive(_receive.AsSpan(_receiveEnd), SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                if (!receivedAny && IsPeerGone(error))
                {
                    return Reply<TResponse>.ClosedBeforeReply;
                }

                ThrowHelper.ThrowSocketError(error, _requestTimeout, sending: false);
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

    private static bool WaitReadable(Socket socket, long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return socket.Poll(-1, SelectMode.SelectRead);
        }

        long remaining = deadline - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return false;
        }

        double microseconds = remaining * 1e6 / Stopwatch.Frequency;
        return socket.Poll((int)Math.Clamp(microseconds, 1, int.MaxValue), SelectMode.SelectRead);
    }
}
