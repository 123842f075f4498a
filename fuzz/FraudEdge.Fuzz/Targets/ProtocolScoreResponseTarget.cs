using System.Buffers;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>score-response</c>: bytes → the payload of a ScoreResponse (0x02), read by the .NET client, through
/// <see cref="ScoreResponse.TryRead"/>, with every check of <see cref="ProtocolOracle"/> (total, same in pieces,
/// re-encode → re-decode equal).
/// </summary>
public static class ProtocolScoreResponseTarget
{
    public const string Name = "score-response";

    public static void Run(ReadOnlySpan<byte> input) => ProtocolOracle.CheckPayload<ScoreResponse>(new ReadOnlySequence<byte>(input.ToArray()));
}
