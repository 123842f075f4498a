using System.Diagnostics.Metrics;
using FraudEdge.Core.Policy;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Service.Diagnostics;

/// <summary>
/// The service's counters, twice: as System.Diagnostics.Metrics instruments (meter "FraudEdge.Service", for
/// dotnet-counters / OpenTelemetry) and as plain fields the Status message reports. Tag values are boxed once,
/// here, so recording allocates nothing when no listener is attached.
/// </summary>
public sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "FraudEdge.Service";
    private const int LatencyWindow = 1024;

    private static readonly object[] VerdictTags = ["none", "allow", "review", "deny"];
    private static readonly object[] ErrorTags = BuildErrorTags();

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Histogram<int> _decisionTime;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _refused;

    private readonly int[] _latencies = new int[LatencyWindow];
    private long _latencyCount;
    private long _connectionsActive;
    private long _connectionsTotal;
    private long _connectionsRefused;
    private long _protocolErrors;

    public ServiceMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _decisions = _meter.CreateCounter<long>("fraudedge.decisions", "{decision}", "Decisions made, by verdict");
        _decisionTime = _meter.CreateHistogram<int>("fraudedge.decision.duration", "us", "Time inside the decision core per decision");
        _errors = _meter.CreateCounter<long>("fraudedge.protocol.errors", "{error}", "Error frames sent, by code");
        _connections = _meter.CreateUpDownCounter<long>("fraudedge.connections.active", "{connection}", "Open connections");
        _refused = _meter.CreateCounter<long>("fraudedge.connections.refused", "{connection}", "Connections refused (allow list or limit)");
        StartedAt = DateTimeOffset.UtcNow;
    }

    public DateTimeOffset StartedAt { get; }

    public ulong UptimeMs => (ulong)Math.Max(0, (DateTimeOffset.UtcNow - StartedAt).TotalMilliseconds);

    public long ConnectionsActive => Interlocked.Read(ref _connectionsActive);
    public long ConnectionsTotal => Interlocked.Read(ref _connectionsTotal);
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    public void Decision(Verdict verdict, int elapsedMicroseconds)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("verdict", VerdictTags[(int)verdict & 3]));
        _decisionTime.Record(elapsedMicroseconds);
        long n = Interlocked.Increment(ref _latencyCount);
        _latencies[(int)((n - 1) % LatencyWindow)] = elapsedMicroseconds;
    }

    public void Error(ProtocolErrorCode code)
    {
        Interlocked.Increment(ref _protocolErrors);
        int i = (int)code;
        _errors.Add(1, new KeyValuePair<string, object?>("code", i < ErrorTags.Length ? ErrorTags[i] : "other"));
    }

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsActive);
        Interlocked.Increment(ref _connectionsTotal);
        _connections.Add(1);
    }

    public void ConnectionClosed()
    {
        Interlocked.Decrement(ref _connectionsActive);
        _connections.Add(-1);
    }

    public void ConnectionRefused()
    {
        Interlocked.Increment(ref _connectionsRefused);
        _refused.Add(1);
    }

    /// <summary>Median and 99th percentile of the last 1024 decision times (µs). Allocates: Status only.</summary>
    public (ulong P50, ulong P99) LatencyPercentiles()
    {
        long n = Math.Min(Interlocked.Read(ref _latencyCount), LatencyWindow);
        if (n == 0) return (0, 0);
        int[] copy = _latencies[..(int)n];
        Array.Sort(copy);
        return ((ulong)copy[(int)((n - 1) / 2)], (ulong)copy[(int)Math.Ceiling(0.99 * n) - 1]);
    }

    private static object[] BuildErrorTags()
    {
        var tags = new object[17];
        for (int i = 0; i < tags.Length; i++) tags[i] = ((ProtocolErrorCode)i).ToString();
        return tags;
    }

    public void Dispose() => _meter.Dispose();
}
