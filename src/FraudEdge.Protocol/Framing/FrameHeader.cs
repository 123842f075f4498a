namespace FraudEdge.Protocol.Framing;

/// <summary>The 10 bytes before a payload. <see cref="Length"/> is the wire value: header 6 + payload.</summary>
public readonly record struct FrameHeader(byte Version, MessageType Type, uint RequestId, int Length)
{
    public int PayloadLength => Length - FrameCodec.HeaderAfterLength;
}
