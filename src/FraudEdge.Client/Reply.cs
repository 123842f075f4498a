using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client;

/// <summary>One decoded reply: the response, or the service's Error, or "connection gone before the reply" (see <see cref="ReplyKind"/>).</summary>
internal readonly struct Reply<TResponse> where TResponse : struct, IProtocolMessage<TResponse>
{
    public readonly TResponse Response;
    public readonly ErrorResponse Error;
    public readonly ReplyKind Kind;

    public Reply(in TResponse response)
    {
        Response = response;
        Error = default;
        Kind = ReplyKind.Response;
    }

    public Reply(in ErrorResponse error)
    {
        Response = default;
        Error = error;
        Kind = ReplyKind.Error;
    }

    private Reply(ReplyKind kind)
    {
        Response = default;
        Error = default;
        Kind = kind;
    }

    public static Reply<TResponse> ClosedBeforeReply => new(ReplyKind.ClosedBeforeReply);
}
