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

    /// <summary>The raw round trips (and core times) behind <see cref="Latency"/>, so interleaved rounds can be pooled.</summary>
    public IReadOnlyList<LatencyLog> Logs { get; init; } = [];

    public IReadOnlyList<LatencyLog> CoreLogs { get; init; } = [];

    /// <summary>
    /// One phase from its interleaved rounds: every round's round trips pooled into one distribution (medians and
    /// p99 over all of them), errors, warm-ups and service windows added up, the first round's note kept.
    /// </summary>
    public static PhaseResult Pool(IReadOnlyList<PhaseResult> rounds)
    {
        PhaseResult first = rounds[0];
        LatencyLog[] logs = [.. rounds.SelectMany(r => r.Logs)];
        LatencyLog[] cores = [.. rounds.SelectMany(r => r.CoreLogs)];
        ServiceWindow[] windows = [.. rounds.Select(r => r.Service).OfType<ServiceWindow>()];
        return first with
        {
            Latency = LatencySummary.Of(logs),
            Errors = rounds.Sum(r => r.Errors),
            Warmup = rounds.Sum(r => r.Warmup),
            WarmupErrors = rounds.Sum(r => r.WarmupErrors),
            CoreTime = cores.Length > 0 ? LatencySummary.Of(cores) : null,
            Service = windows.Length == rounds.Count ? ServiceWindow.Sum(windows) : null,
            InProcessBytesPerCall = first.InProcessBytesPerCall is null ? null : rounds.Average(r => r.InProcessBytesPerCall ?? 0),
            Logs = logs,
            CoreLogs = cores,
            Note = (first.Note is null ? "" : first.Note + "; ") + $"pooled over {rounds.Count} interleaved rounds (the note's counts are the first round's); " +
                   RoundSpread(rounds),
        };
    }

    /// <summary>How the rounds differed: their medians and their own p99/median (min – median – max over the rounds).</summary>
    private static string RoundSpread(IReadOnlyList<PhaseResult> rounds)
    {
        static string Range(IEnumerable<double> values, string format)
        {
            double[] v = [.. values.Order()];
            return string.Join(" – ", new[] { v[0], v[v.Length / 2], v[^1] }.Select(x => x.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return $"per round: median {Range(rounds.Select(r => r.Latency.MedianUs), "F1")} µs, p99/median {Range(rounds.Select(r => r.Latency.P99OverMedian), "F2")} (min – median – max)";
    }

    /// <summary>Anything a reader of the table should know (first error message, clock drops, encoder check).</summary>
    public string? Note { get; init; }
}
