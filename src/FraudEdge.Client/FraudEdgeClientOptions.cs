using FraudEdge.Protocol.Framing;

namespace FraudEdge.Client;

/// <summary>Settings of a <see cref="FraudEdgeClient"/>, read once when the client is constructed.</summary>
public sealed class FraudEdgeClientOptions
{
    /// <summary>Where <c>fraudedged</c> listens unless started with <c>--socket PATH</c> (docs/protocol.md §1).</summary>
    public const string DefaultSocketPath = "/run/fraudedge/fraudedged.sock";

    /// <summary>The Unix domain socket of the service.</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>Longest wait for a connection to be accepted. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest wait for a response once its request is being written (§6: the C and .NET clients default to 1 s).
    /// In a batch it applies to each response in turn. After a timeout the connection is discarded, since a late
    /// response would be out of step with the next request. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Largest frame <c>length</c> accepted from the service and written to it: <c>service.max_frame_bytes</c> of the
    /// hardware profile (4096 on every shipped profile). Sizes the client's buffers, which are allocated once.
    /// </summary>
    public int MaxFrameBytes { get; set; } = ProtocolLimits.DefaultMaxFrameBytes;

    /// <summary>
    /// How many times one call may reconnect and try again after finding its kept connection closed by the
    /// service (idle timeout, restart). Which calls may be retried: see <see cref="FraudEdgeClient"/>. 0: never.
    /// </summary>
    public int ReconnectAttempts { get; set; } = 1;
}
