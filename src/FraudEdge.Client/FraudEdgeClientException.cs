using FraudEdge.Protocol.Framing;

namespace FraudEdge.Client;

/// <summary>A transport failure of a <see cref="FraudEdgeClient"/> call: see <see cref="ErrorCode"/>.</summary>
public sealed class FraudEdgeClientException : Exception
{
    public FraudEdgeClientException()
    {
    }

    public FraudEdgeClientException(string message) : base(message)
    {
    }

    public FraudEdgeClientException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public FraudEdgeClientException(ClientErrorCode errorCode, string message, Exception? innerException = null)
        : this(errorCode, ProtocolErrorCode.None, message, innerException)
    {
    }

    public FraudEdgeClientException(ClientErrorCode errorCode, ProtocolErrorCode serverErrorCode, string message,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        ServerErrorCode = serverErrorCode;
    }

    public ClientErrorCode ErrorCode { get; }

    /// <summary>
    /// The code of the service's Error frame for <see cref="ClientErrorCode.ServerClosedConnection"/> and
    /// <see cref="ClientErrorCode.ServerError"/>; <see cref="ProtocolErrorCode.None"/> otherwise.
    /// </summary>
    public ProtocolErrorCode ServerErrorCode { get; }
}
