namespace FraudEdge.Client;

/// <summary>What came back for one request on the wire.</summary>
internal enum ReplyKind : byte
{
    /// <summary>The expected response type.</summary>
    Response,

    /// <summary>An Error frame for this request that leaves the connection open.</summary>
    Error,

    /// <summary>The connection ended before any byte of the reply: the caller decides whether the request may be sent again.</summary>
    ClosedBeforeReply,
}
