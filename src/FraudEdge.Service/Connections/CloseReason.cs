namespace FraudEdge.Service.Connections;

/// <summary>Why the service asked a connection loop to stop.</summary>
internal enum CloseReason
{
    None = 0,
    ReadTimeout = 1,
    IdleTimeout = 2,
    ShuttingDown = 3,
}
