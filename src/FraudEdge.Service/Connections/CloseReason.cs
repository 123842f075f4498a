namespace FraudEdge.Service.Connections;

/// <summary>Why a connection's loop ends on the service's side (None: the peer closed).</summary>
internal enum CloseReason
{
    None = 0,
    ReadTimeout = 1,
    IdleTimeout = 2,
    ShuttingDown = 3,
}
