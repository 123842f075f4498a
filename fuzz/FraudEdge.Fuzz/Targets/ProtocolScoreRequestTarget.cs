using System.Buffers;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>score-request</c>: bytes → the payload of a ScoreRequest (0x01), what terminals send: the service's hottest reader, through
/// <see cref="ScoreRequest.TryRead"/>, with every check of <see cref="ProtocolOracle"/> (total, same in pieces,
/// re-encode → re-decode equal).
/// </summary>
public static class ProtocolScoreRequestTarget
{
    public const string Name = "score-request";

    public static void Run(ReadOnlySpan<byte> input) => ProtocolOracle.CheckPayload<ScoreRequest>(new ReadOnlySequence<byte>(input.ToArray()));
}
