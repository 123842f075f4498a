using System.Buffers;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>outcome-notice</c>: bytes → the payload of a OutcomeNotice (0x03), the other client-to-service message with a payload, through
/// <see cref="OutcomeNotice.TryRead"/>, with every check of <see cref="ProtocolOracle"/> (total, same in pieces,
/// re-encode → re-decode equal).
/// </summary>
public static class ProtocolOutcomeNoticeTarget
{
    public const string Name = "outcome-notice";

    public static void Run(ReadOnlySpan<byte> input) => ProtocolOracle.CheckPayload<OutcomeNotice>(new ReadOnlySequence<byte>(input.ToArray()));
}
