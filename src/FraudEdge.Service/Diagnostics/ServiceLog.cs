using FraudEdge.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace FraudEdge.Service.Diagnostics;

/// <summary>
/// Every log line fraudedged writes. Event ids (2000+) and names are a telemetry contract: never renumber.
/// No message carries payload bytes or card data; peers are identified by pid/uid/gid only.
/// </summary>
internal static partial class ServiceLog
{
    [LoggerMessage(2000, LogLevel.Information, "Listening on {SocketPath} (mode 0660), profile {Profile}, up to {MaxConnections} connections, frames up to {MaxFrameBytes} bytes, CPUs {Cpus}, receive poll {ReceiveSpinUs} µs")]
    public static partial void Listening(ILogger logger, string socketPath, string profile, int maxConnections, int maxFrameBytes, string cpus, int receiveSpinUs);

    [LoggerMessage(2001, LogLevel.Warning, "Replaced a stale socket file at {SocketPath}")]
    public static partial void StaleSocketReplaced(ILogger logger, string socketPath);

    [LoggerMessage(2002, LogLevel.Information, "Stopping: draining {Connections} connections")]
    public static partial void Draining(ILogger logger, int connections);

    [LoggerMessage(2003, LogLevel.Information, "Stopped; socket {SocketPath} removed")]
    public static partial void Stopped(ILogger logger, string socketPath);

    [LoggerMessage(2010, LogLevel.Debug, "Connection {ConnectionId} from pid {Pid} uid {Uid} gid {Gid} accepted")]
    public static partial void ConnectionAccepted(ILogger logger, long connectionId, int pid, uint uid, uint gid);

    [LoggerMessage(2011, LogLevel.Warning, "Connection from pid {Pid} uid {Uid} gid {Gid} refused: not on the allow list")]
    public static partial void PeerRefused(ILogger logger, int pid, uint uid, uint gid);

    [LoggerMessage(2012, LogLevel.Warning, "Connection from pid {Pid} refused: {MaxConnections} connections already open ({Open})")]
    public static partial void ServerBusy(ILogger logger, int pid, int maxConnections, string open);

    [LoggerMessage(2013, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(2014, LogLevel.Information, "Connection {ConnectionId} closed by the peer in the middle of a frame ({Bytes} bytes discarded)")]
    public static partial void TruncatedFrame(ILogger logger, long connectionId, long bytes);

    [LoggerMessage(2015, LogLevel.Information, "Connection {ConnectionId} timed out ({Kind})")]
    public static partial void TimedOut(ILogger logger, long connectionId, string kind);

    [LoggerMessage(2020, LogLevel.Information, "Connection {ConnectionId}: {Code} on request {RequestId}{Field}")]
    public static partial void ProtocolError(ILogger logger, long connectionId, ProtocolErrorCode code, uint requestId, string field);

    [LoggerMessage(2021, LogLevel.Error, "Connection {ConnectionId}: internal error on request {RequestId}")]
    public static partial void InternalError(ILogger logger, Exception exception, long connectionId, uint requestId);

    [LoggerMessage(2022, LogLevel.Warning, "Connection {ConnectionId} failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, string reason);

    [LoggerMessage(2030, LogLevel.Information, "SIGHUP: reloading the model bundle from {Directory}")]
    public static partial void Reloading(ILogger logger, string directory);

    [LoggerMessage(2031, LogLevel.Warning, "SIGHUP ignored: no --model folder is configured (the embedded bundle cannot change)")]
    public static partial void ReloadWithoutFolder(ILogger logger);

    [LoggerMessage(2033, LogLevel.Warning, "Model reload from {Directory} failed: {Reason}. Keeping the model in force")]
    public static partial void ReloadFailed(ILogger logger, string directory, string reason);

    [LoggerMessage(2032, LogLevel.Warning, "History snapshot to {Path} failed: {Reason}")]
    public static partial void SnapshotFailed(ILogger logger, string path, string reason);

    [LoggerMessage(2040, LogLevel.Information, "Memory: {Plan}; {Gc}")]
    public static partial void MemoryPlanned(ILogger logger, string plan, string gc);

    [LoggerMessage(2041, LogLevel.Warning, "Memory budget exceeded: {ResidentKib} KiB resident of {BudgetKib} KiB (was {BeforeKib} KiB before giving memory back). Refusing ScoreRequests with OverMemoryBudget until resident memory is under 95 % of the budget")]
    public static partial void SheddingStarted(ILogger logger, long residentKib, long budgetKib, long beforeKib);

    [LoggerMessage(2042, LogLevel.Information, "Memory back under budget: {ResidentKib} KiB resident of {BudgetKib} KiB. Deciding again")]
    public static partial void SheddingStopped(ILogger logger, long residentKib, long budgetKib);

    [LoggerMessage(2043, LogLevel.Warning, "The GC could not be configured from the profile ({Gc}); running with the runtime's defaults")]
    public static partial void GcNotConfigured(ILogger logger, string gc);
}
