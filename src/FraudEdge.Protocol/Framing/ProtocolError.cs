namespace FraudEdge.Protocol.Framing;

/// <summary>
/// Why a frame or payload was refused. <see cref="Message"/> and <see cref="Field"/> are constant strings
/// (no payload bytes, never card data), so building one allocates nothing.
/// </summary>
public readonly record struct ProtocolError(ProtocolErrorCode Code, string Message, string Field = "")
{
    public bool IsError => Code != ProtocolErrorCode.None;

    /// <summary>True when the stream can no longer be trusted and the connection must close (§5 "closed").</summary>
    public bool ClosesConnection => Code is ProtocolErrorCode.FrameTooLarge or ProtocolErrorCode.FrameTooShort
        or ProtocolErrorCode.UnsupportedVersion or ProtocolErrorCode.ReadTimeout or ProtocolErrorCode.ServerBusy
        or ProtocolErrorCode.ShuttingDown or ProtocolErrorCode.PeerNotAllowed;
}
