using System.Buffers;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>error-response</c>: bytes → the payload of a Error (0x7F), read by the .NET client, through
/// <see cref="ErrorResponse.TryRead"/>, with every check of <see cref="ProtocolOracle"/> (total, same in pieces,
/// re-encode → re-decode equal).
/// </summary>
public static class ProtocolErrorResponseTarget
{
    public const string Name = "error-response";

    public static void Run(ReadOnlySpan<byte> input) => ProtocolOracle.CheckPayload<ErrorResponse>(new ReadOnlySequence<byte>(input.ToArray()));
}
