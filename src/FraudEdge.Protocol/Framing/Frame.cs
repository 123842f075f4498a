using System.Buffers;

namespace FraudEdge.Protocol.Framing;

/// <summary>One complete frame: its header and its payload, a slice of the reader's buffer (valid until AdvanceTo).</summary>
public readonly struct Frame(FrameHeader header, ReadOnlySequence<byte> payload)
{
    public FrameHeader Header { get; } = header;
    public ReadOnlySequence<byte> Payload { get; } = payload;
}
