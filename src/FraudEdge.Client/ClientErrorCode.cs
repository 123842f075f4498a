namespace FraudEdge.Client;

/// <summary>
/// Why a call failed in transport. A refusal by the service of one request (e.g. <c>InvalidEvent</c>) is not
/// one of these: it comes back as a <see cref="ScoreResult"/> or <see cref="OutcomeResult"/>.
/// </summary>
public enum ClientErrorCode
{
    /// <summary>The socket could not be connected within <see cref="FraudEdgeClientOptions.ConnectTimeout"/> (no service, wrong path, no permission, backlog full).</summary>
    ConnectFailed = 1,

    /// <summary>No complete response within <see cref="FraudEdgeClientOptions.RequestTimeout"/>. The connection was discarded: the request may or may not have been processed.</summary>
    Timeout = 2,

    /// <summary>The connection ended or failed after the request had been (at least partly) written, without an Error frame.</summary>
    ConnectionClosed = 3,

    /// <summary>The service sent something the protocol does not allow here: a wrong request id, an unexpected type, an undecodable payload, a bad version byte.</summary>
    ProtocolViolation = 4,

    /// <summary>The service sent an Error frame whose code closes the connection (§5 "closed": ServerBusy, ShuttingDown, PeerNotAllowed, ReadTimeout, …); see <see cref="FraudEdgeClientException.ServerErrorCode"/>.</summary>
    ServerClosedConnection = 5,

    /// <summary>A frame over <see cref="FraudEdgeClientOptions.MaxFrameBytes"/>: announced by the service's length prefix, or a request that would not fit.</summary>
    FrameTooLarge = 6,

    /// <summary>
    /// The service answered a Ping or StatusRequest with an Error that keeps the connection open (e.g.
    /// <c>UnknownMessageType</c> from a service that does not know the request, or <c>InternalError</c>); see
    /// <see cref="FraudEdgeClientException.ServerErrorCode"/>. Score and OutcomeNotice report such errors as results instead.
    /// </summary>
    ServerError = 7,
}
