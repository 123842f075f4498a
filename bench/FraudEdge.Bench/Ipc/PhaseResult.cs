namespace FraudEdge.Bench.Ipc;

/// <summary>One phase of the run: what it measured and what came out.</summary>
internal sealed record PhaseResult(string Id, string Name, string Measures, LatencySummary Latency, long Errors)
{
    /// <summary>Unmeasured requests before the measured ones, and how many of them failed.</summary>
    public int Warmup { get; init; }

    public long WarmupErrors { get; init; }

    /// <summary>
    /// The decision core's own time per request as it reports it (Decision.ElapsedMicroseconds in process,
    /// ScoreResponse elapsed_us from the service, 1 µs resolution): the round trip minus this is transport + protocol.
    /// </summary>
    public LatencySummary? CoreTime { get; init; }

    /// <summary>Service phases: its managed allocations over the measured requests.</summary>
    public ServiceWindow? Service { get; init; }

    /// <summary>In-process phase: bytes the measuring thread allocated per call (GC.GetAllocatedBytesForCurrentThread).</summary>
    public double? InProcessBytesPerCall { get; init; }

    public int Connections { get; init; } = 1;

    public double? DurationSeconds { get; init; }

    public double? ThroughputPerSecond { get; init; }

    /// <summary>Anything a reader of the table should know (first error message, clock drops, encoder check).</summary>
    public string? Note { get; init; }
}
