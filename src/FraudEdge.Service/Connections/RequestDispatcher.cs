using System.Buffers;
using System.Text;
using FraudEdge.Core;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Diagnostics;
using FraudEdge.Service.Memory;
using Microsoft.Extensions.Logging;
using WireOutcome = FraudEdge.Protocol.Messages.OutcomeNotice;

namespace FraudEdge.Service.Connections;

/// <summary>
/// One complete frame in, exactly one frame out (protocol.md §2): decode, ask the engine, encode. Shared by
/// every connection; the engine decides one event at a time, and <see cref="DecisionQueue"/> takes the
/// connections' requests to it in arrival order. Allocation-free for ScoreRequest, OutcomeNotice
/// and Ping; Status allocates its strings.
/// </summary>
internal sealed class RequestDispatcher(FraudEngine engine, ServiceMetrics metrics, MemoryWatch memory, ILogger<RequestDispatcher> logger)
{
    private const string ServiceVersion = "1.0.0";
    private ModelVersionCache _modelVersion;
    private readonly DecisionQueue _queue = new(); // decisions and outcomes in arrival order across connections

    public void Handle(in Frame frame, FrameWriter frames, IBufferWriter<byte> output, long connectionId)
    {
        uint id = frame.Header.RequestId;
        try
        {
            switch (frame.Header.Type)
            {
                case MessageType.ScoreRequest: Score(frame, frames, output, connectionId); break;
                case MessageType.OutcomeNotice: Outcome(frame, frames, output, connectionId); break;
                case MessageType.Ping: Ping(frame, frames, output, connectionId); break;
                case MessageType.StatusRequest: Status(frame, frames, output, connectionId); break;
                case MessageType.ScoreResponse or MessageType.Ack or MessageType.Pong or MessageType.StatusResponse or MessageType.Error:
                    Refuse(frames, output, id, new ProtocolError(ProtocolErrorCode.UnexpectedMessage, "this message type is sent by the service, not to it"), 0, connectionId);
                    break;
                default:
                    Refuse(frames, output, id, new ProtocolError(ProtocolErrorCode.UnknownMessageType, "unknown message type"), 0, connectionId);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must cost one request, not the connection or the process (protocol.md §5, code 13).
            ServiceLog.InternalError(logger, e, connectionId, id);
            Refuse(frames, output, id, new ProtocolError(ProtocolErrorCode.InternalError, "internal error; the request was not processed"), 0, connectionId);
        }
    }

    public void Refuse(FrameWriter frames, IBufferWriter<byte> output, uint requestId, in ProtocolError error, ushort detail, long connectionId)
    {
        metrics.Error(error.Code);
        if (logger.IsEnabled(LogLevel.Information))
            ServiceLog.ProtocolError(logger, connectionId, error.Code, requestId, error.Field.Length == 0 ? "" : " (" + error.Field + ")");
        // protocol.md §3 caps strings at 64 bytes for every reader; the messages are ASCII constants, so a
        // too-long one (a bug, not an attack) is cut rather than turned into an InternalError.
        ProtocolError fitted = error.Message.Length <= ProtocolLimits.MaxStringBytes ? error
            : error with { Message = string.Concat(error.Message.AsSpan(0, ProtocolLimits.MaxStringBytes - 3), "...") };
        frames.WriteError(output, requestId, fitted, detail);
    }

    private void Score(in Frame frame, FrameWriter frames, IBufferWriter<byte> output, long connectionId)
    {
        if (ScoreRequest.TryRead(frame.Payload, out ScoreRequest request, out ProtocolError error) != OperationStatus.Done)
        {
            Refuse(frames, output, frame.Header.RequestId, error, 0, connectionId);
            return;
        }
        if (memory.Shedding)
        {
            // Over the profile's memory budget (MemoryWatch): no decision, nothing recorded; the terminal decides
            // offline and the connection stays open (protocol.md §5, code 17).
            Refuse(frames, output, frame.Header.RequestId,
                new ProtocolError(ProtocolErrorCode.OverMemoryBudget, "over the memory budget: no decision; decide offline"), 0, connectionId);
            return;
        }
        WireMapping.ToEvent(request, out TransactionEvent evt);
        Decision decision;
        using (_queue.Enter()) decision = engine.Evaluate(evt);
        if (decision.IsRejected)
        {
            var rejection = decision.Rejection;
            Refuse(frames, output, frame.Header.RequestId,
                new ProtocolError(ProtocolErrorCode.InvalidEvent, rejection.Message, rejection.Field), (ushort)rejection.Code, connectionId);
            return;
        }
        metrics.Decision(decision.Verdict, decision.ElapsedMicroseconds);
        ScoreResponse response = WireMapping.ToResponse(decision, CurrentModelVersion());
        frames.Write(output, frame.Header.RequestId, response);
    }

    private void Outcome(in Frame frame, FrameWriter frames, IBufferWriter<byte> output, long connectionId)
    {
        if (WireOutcome.TryRead(frame.Payload, out WireOutcome wire, out ProtocolError error) != OperationStatus.Done)
        {
            Refuse(frames, output, frame.Header.RequestId, error, 0, connectionId);
            return;
        }
        WireMapping.ToNotice(wire, out Core.Events.OutcomeNotice notice);
        ValidationResult result;
        using (_queue.Enter()) result = engine.Record(notice);
        if (!result.IsValid)
        {
            Refuse(frames, output, frame.Header.RequestId,
                new ProtocolError(ProtocolErrorCode.InvalidEvent, result.Message, result.Field), (ushort)result.Code, connectionId);
            return;
        }
        frames.Write(output, frame.Header.RequestId, new Ack { EventId = wire.EventId });
    }

    private void Ping(in Frame frame, FrameWriter frames, IBufferWriter<byte> output, long connectionId)
    {
        if (Protocol.Messages.Ping.TryRead(frame.Payload, out _, out ProtocolError error) != OperationStatus.Done)
        {
            Refuse(frames, output, frame.Header.RequestId, error, 0, connectionId);
            return;
        }
        frames.Write(output, frame.Header.RequestId, new Pong { ProtocolVersion = FrameCodec.ProtocolVersion, UptimeMs = metrics.UptimeMs });
    }

    private void Status(in Frame frame, FrameWriter frames, IBufferWriter<byte> output, long connectionId)
    {
        if (StatusRequest.TryRead(frame.Payload, out _, out ProtocolError error) != OperationStatus.Done)
        {
            Refuse(frames, output, frame.Header.RequestId, error, 0, connectionId);
            return;
        }
        frames.Write(output, frame.Header.RequestId, BuildStatus());
    }

    public StatusResponse BuildStatus()
    {
        EngineStatus s = engine.Status();
        var (rss, peak) = ProcessMemory.Read();
        var (p50, p99) = metrics.LatencyPercentiles();
        return new StatusResponse
        {
            ServiceVersion = ServiceVersion,
            ProtocolVersion = FrameCodec.ProtocolVersion,
            Profile = s.Profile,
            ModelName = s.ModelName,
            ModelVersion = s.ModelVersion,
            ModelSha256 = engine.Model is { } m && m.Manifest.Files.TryGetValue("model.onnx", out string? sha) ? sha : null,
            Tokenizer = s.Tokenizer,
            Decisions = (ulong)s.Decisions,
            Allowed = (ulong)s.Allowed,
            Reviewed = (ulong)s.Reviewed,
            Denied = (ulong)s.Denied,
            Rejected = (ulong)s.Rejected,
            Fallbacks = (ulong)s.Fallbacks,
            DeadlineMisses = (ulong)s.DeadlineMisses,
            Outcomes = (ulong)s.OutcomesRecorded,
            ConnectionsActive = (ulong)metrics.ConnectionsActive,
            ConnectionsTotal = (ulong)metrics.ConnectionsTotal,
            ConnectionsRefused = (ulong)metrics.ConnectionsRefused,
            ProtocolErrors = (ulong)metrics.ProtocolErrors,
            RssBytes = rss,
            PeakRssBytes = peak,
            ManagedHeapBytes = (ulong)GC.GetTotalMemory(false),
            UptimeMs = metrics.UptimeMs,
            LatencyP50Us = p50,
            LatencyP99Us = p99,
            ModelRefusal = s.ModelRefusal is { } code ? (ushort)code : null,
            // Precise: the steady-state zero-allocation claim is checked against this difference.
            AllocatedBytes = (ulong)GC.GetTotalAllocatedBytes(precise: true),
            MemoryBudgetBytes = (ulong)memory.BudgetBytes,
            GcHeapLimitBytes = (ulong)GcSettings.HeapHardLimitBytes,
            Shedding = memory.Shedding,
            // The head to anchor elsewhere (a back office, a Z-report): verify --expect-head then proves nothing was cut.
            AuditLastRecord = s.AuditHead?.Record ?? 0,
            AuditHeadSha256 = s.AuditHead is { Record: > 0 } head ? head.Hash.ToString() : null,
        };
    }

    /// <summary>The model version as wire text, re-packed only when a reload swapped the bundle.</summary>
    private Ascii16Text CurrentModelVersion()
    {
        string? version = engine.Model?.Manifest.Version;
        var cache = _modelVersion;
        if (ReferenceEquals(cache.Source, version)) return cache.Packed;
        Ascii16Text packed = default;
        if (version is { Length: > 0 and <= Ascii16Text.MaxLength })
            Ascii16Text.TryPack(Encoding.ASCII.GetBytes(version), out packed);
        _modelVersion = new ModelVersionCache(version, packed);
        return packed;
    }

    private readonly record struct ModelVersionCache(string? Source, Ascii16Text Packed);
}
