namespace FraudEdge.Protocol.Framing;

/// <summary>The limits of docs/protocol.md §3, enforced before and while parsing untrusted bytes.</summary>
public static class ProtocolLimits
{
    public const int DefaultMaxFrameBytes = 4096;
    public const int MaxMapEntries = 64;
    public const int MaxStringBytes = 64;
    public const int MaxBinaryBytes = 64;
    public const int MaxArrayLength = 64;
    public const int MaxDepth = 8;
}
