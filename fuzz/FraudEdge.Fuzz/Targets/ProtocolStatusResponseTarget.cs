using System.Buffers;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>status-response</c>: bytes → the payload of a StatusResponse (0x08), read by the .NET client; the one reader that builds strings, through
/// <see cref="StatusResponse.TryRead"/>, with every check of <see cref="ProtocolOracle"/> (total, same in pieces,
/// re-encode → re-decode equal).
/// </summary>
public static class ProtocolStatusResponseTarget
{
    public const string Name = "status-response";

    public static void Run(ReadOnlySpan<byte> input) => ProtocolOracle.CheckPayload<StatusResponse>(new ReadOnlySequence<byte>(input.ToArray()));
}
