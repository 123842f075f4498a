using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Client;

/// <summary>Throws for the client, so the hot methods stay small and the failure paths (which may allocate) stay out of them.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowNoResponse(ProtocolErrorCode code) =>
        throw new InvalidOperationException($"The service refused the request ({code}); read Error, not the response.");

    [DoesNotReturn]
    public static void ThrowSendBufferOverflow() =>
        throw new InvalidOperationException("The frame does not fit the client's send buffer.");

    [DoesNotReturn]
    public static void ThrowConnectFailed(string path, Exception inner) =>
        throw new FraudEdgeClientException(ClientErrorCode.ConnectFailed,
            $"Cannot connect to fraudedged at '{path}': {inner.Message}", inner);

    [DoesNotReturn]
    public static void ThrowConnectTimeout(string path, TimeSpan timeout, Exception? inner) =>
        throw new FraudEdgeClientException(ClientErrorCode.ConnectFailed,
            $"Cannot connect to fraudedged at '{path}': not accepted within {timeout.TotalMilliseconds:0} ms.", inner);

    [DoesNotReturn]
    public static void ThrowTimeout(TimeSpan timeout, Exception? inner = null) =>
        throw new FraudEdgeClientException(ClientErrorCode.Timeout,
            $"No response from fraudedged within {timeout.TotalMilliseconds:0} ms; the connection was discarded.", inner);

    [DoesNotReturn]
    public static void ThrowSocketError(SocketError error, TimeSpan timeout, bool sending)
    {
        if (error is SocketError.TimedOut or SocketError.WouldBlock)
        {
            ThrowTimeout(timeout, new SocketException((int)error));
        }

        throw new FraudEdgeClientException(ClientErrorCode.ConnectionClosed,
            $"The connection to fraudedged failed while {(sending ? "writing a request" : "reading a response")}: {error}.",
            new SocketException((int)error));
    }

    [DoesNotReturn]
    public static void ThrowConnectionClosed(Exception? inner = null) =>
        throw new FraudEdgeClientException(ClientErrorCode.ConnectionClosed,
            "fraudedged closed the connection before the response was complete.", inner);

    [DoesNotReturn]
    public static void ThrowFrameTooLarge(int maxFrameBytes) =>
        throw new FraudEdgeClientException(ClientErrorCode.FrameTooLarge,
            $"fraudedged announced a frame over MaxFrameBytes ({maxFrameBytes}); the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowRequestTooLarge(int maxFrameBytes, Exception inner) =>
        throw new FraudEdgeClientException(ClientErrorCode.FrameTooLarge,
            $"The request does not fit in MaxFrameBytes ({maxFrameBytes}).", inner);

    [DoesNotReturn]
    public static void ThrowBadFrame(in ProtocolError error) =>
        throw new FraudEdgeClientException(ClientErrorCode.ProtocolViolation,
            $"fraudedged sent an invalid frame ({error.Code}: {error.Message}); the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowRequestIdMismatch(uint expected, uint actual, MessageType type) =>
        throw new FraudEdgeClientException(ClientErrorCode.ProtocolViolation,
            $"fraudedged answered request id {actual} ({type}) where {expected} was due; the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowUnexpectedType(MessageType expected, MessageType actual) =>
        throw new FraudEdgeClientException(ClientErrorCode.ProtocolViolation,
            $"fraudedged answered with {actual} where {expected} was due; the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowBadPayload(MessageType type, in ProtocolError error) =>
        throw new FraudEdgeClientException(ClientErrorCode.ProtocolViolation,
            $"fraudedged sent a {type} that does not decode ({error.Code}: {error.Message} {error.Field}); the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowEventIdMismatch(ulong expected, ulong actual) =>
        throw new FraudEdgeClientException(ClientErrorCode.ProtocolViolation,
            $"fraudedged answered event {actual} where event {expected} was due; the connection was discarded.");

    [DoesNotReturn]
    public static void ThrowServerClosed(ProtocolErrorCode code, string? message) =>
        throw new FraudEdgeClientException(ClientErrorCode.ServerClosedConnection, code,
            $"fraudedged closed the connection: {code} ({message}).");

    [DoesNotReturn]
    public static void ThrowServerError(ProtocolErrorCode code, string? message, MessageType request) =>
        throw new FraudEdgeClientException(ClientErrorCode.ServerError, code,
            $"fraudedged refused the {request}: {code} ({message}).");
}
