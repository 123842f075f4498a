using System.Buffers;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Client.Tests.Fakes;

/// <summary>One frame the fake service received: its header, a copy of its payload, and its index across all connections (0-based).</summary>
internal sealed record ReceivedRequest(int Index, FrameHeader Header, byte[] Payload)
{
    public ReadOnlySequence<byte> PayloadSequence => new(Payload);
}
