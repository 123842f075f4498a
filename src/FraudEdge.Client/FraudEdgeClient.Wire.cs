using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>Framing shared by the sync and async paths: the send buffer, the receive buffer and reply decoding.</summary>
public sealed partial class FraudEdgeClient
{
    /// <summary>Replaces the send buffer's content with one frame.</summary>
    private void WriteFrame<TRequest>(uint requestId, in TRequest request)
        where TRequest : struct, IProtocolMessage<TRequest>
    {
        _send.Reset();
        AppendFrame(requestId, in request);
    }

    private void AppendFrame<TRequest>(uint requestId, in TRequest request)
        where TRequest : struct, IProtocolMessage<TRequest>
    {
        try
        {
            _frameWriter.Write(_send, requestId, in request);
        }
        catch (InvalidOperationException e)
        {
            ThrowHelper.ThrowRequestTooLarge(_maxFrameBytes, e);
        }
    }

    /// <summary>
    /// Fills the send buffer with the frames of <paramref name="requests"/> from <paramref name="start"/> while another
    /// frame surely fits; returns the index after the last one written.
    /// </summary>
    private int WriteBatchWindow(ReadOnlySpan<ScoreRequest> requests, int start, out uint firstRequestId)
    {
        _send.Reset();
        firstRequestId = _nextRequestId;
        int next = start;
        do
        {
            AppendFrame(TakeRequestId(), in requests[next]);
            next++;
        }
        while (next < requests.Length && _send.FreeCapacity >= FrameRoom);

        return next;
    }

    /// <summary>
    /// Takes the next frame from the receive buffer and decodes it as the reply to <paramref name="requestId"/>.
    /// False: the frame is not complete yet (nothing consumed). Throws for anything the protocol does not allow here.
    /// </summary>
    private bool TryTakeReply<TResponse>(uint requestId, out Reply<TResponse> reply)
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        int buffered = _receiveEnd - _receiveStart;
        if (buffered == 0)
        {
            reply = default;
            return false;
        }

        var sequence = new ReadOnlySequence<byte>(_receive, _receiveStart, buffered);
        OperationStatus status = FrameCodec.TryReadFrame(in sequence, _maxFrameBytes, out Frame frame, out _,
            out ProtocolError frameError);
        if (status == OperationStatus.NeedMoreData)
        {
            reply = default;
            return false;
        }

        if (status != OperationStatus.Done)
        {
            ThrowInvalidFrame(in frameError);
        }

        // The payload is a view of _receive: it stays valid until the next receive or compaction, after decoding.
        _receiveStart += FrameCodec.LengthPrefixBytes + frame.Header.Length;
        if (_receiveStart == _receiveEnd)
        {
            _receiveStart = 0;
            _receiveEnd = 0;
        }

        reply = Decode<TResponse>(in frame, requestId);
        return true;
    }

    private static Reply<TResponse> Decode<TResponse>(in Frame frame, uint requestId)
        where TResponse : struct, IProtocolMessage<TResponse>
    {
        FrameHeader header = frame.Header;
        if (header.Type == MessageType.Error)
        {
            if (ErrorResponse.TryRead(frame.Payload, out ErrorResponse error, out ProtocolError decodeError)
                != OperationStatus.Done)
            {
                ThrowHelper.ThrowBadPayload(MessageType.Error, in decodeError);
            }

            // §5 "closed" codes end the connection whatever request id they carry (0 when not tied to a request).
            if (ClosesConnection(error.Code))
            {
                ThrowHelper.ThrowServerClosed(error.Code, error.Message);
            }

            if (header.RequestId != requestId)
            {
                ThrowHelper.ThrowRequestIdMismatch(requestId, header.RequestId, header.Type);
            }

            return new Reply<TResponse>(in error);
        }

        if (header.RequestId != requestId)
        {
            ThrowHelper.ThrowRequestIdMismatch(requestId, header.RequestId, header.Type);
        }

        if (header.Type != TResponse.Type)
        {
            ThrowHelper.ThrowUnexpectedType(TResponse.Type, header.Type);
        }

        if (TResponse.TryRead(frame.Payload, out TResponse response, out ProtocolError payloadError)
            != OperationStatus.Done)
        {
            ThrowHelper.ThrowBadPayload(header.Type, in payloadError);
        }

        return new Reply<TResponse>(in response);
    }

    private static bool ClosesConnection(ProtocolErrorCode code) => new ProtocolError(code, string.Empty).ClosesConnection;

    private void ThrowInvalidFrame(in ProtocolError frameError)
    {
        if (frameError.Code == ProtocolErrorCode.FrameTooLarge)
        {
            ThrowHelper.ThrowFrameTooLarge(_maxFrameBytes);
        }

        ThrowHelper.ThrowBadFrame(in frameError);
    }

    /// <summary>Moves a partial frame to the start of the receive buffer, so a whole frame (≤ MaxFrameBytes + 4) fits after it.</summary>
    private void CompactReceiveBuffer()
    {
        if (_receiveStart == 0)
        {
            return;
        }

        int pending = _receiveEnd - _receiveStart;
        _receive.AsSpan(_receiveStart, pending).CopyTo(_receive);
        _receiveStart = 0;
        _receiveEnd = pending;
    }

    /// <summary>
    /// The connection failed on a write or ended before a reply. The service writes an Error frame before it closes a
    /// connection (ServerBusy, PeerNotAllowed, ShuttingDown, …): if one is waiting unread, report its code rather than
    /// a bare ConnectionClosed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowConnectionLost(Socket socket)
    {
        try
        {
            int available;
            while ((available = socket.Available) > 0)
            {
                CompactReceiveBuffer();
                int room = _receive.Length - _receiveEnd;
                if (room == 0)
                {
                    break;
                }

                int received = socket.Receive(_receive.AsSpan(_receiveEnd, Math.Min(available, room)), SocketFlags.None,
                    out SocketError error);
                if (error != SocketError.Success || received <= 0)
                {
                    break;
                }

                _receiveEnd += received;
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        while (_receiveEnd > _receiveStart)
        {
            var sequence = new ReadOnlySequence<byte>(_receive, _receiveStart, _receiveEnd - _receiveStart);
            if (FrameCodec.TryReadFrame(in sequence, _maxFrameBytes, out Frame frame, out _, out _) != OperationStatus.Done)
            {
                break;
            }

            _receiveStart += FrameCodec.LengthPrefixBytes + frame.Header.Length;
            if (frame.Header.Type == MessageType.Error
                && ErrorResponse.TryRead(frame.Payload, out ErrorResponse error, out _) == OperationStatus.Done)
            {
                ThrowHelper.ThrowServerClosed(error.Code, error.Message);
            }
        }

        ThrowHelper.ThrowConnectionClosed();
    }

    /// <summary>Errors by which a socket says the peer has closed: the service closed the connection.</summary>
    private static bool IsPeerGone(SocketError error) => error is SocketError.Shutdown or SocketError.ConnectionReset
        or SocketError.ConnectionAborted or SocketError.NotConnected;
}
