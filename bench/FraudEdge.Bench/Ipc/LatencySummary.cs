namespace FraudEdge.Bench.Ipc;

/// <summary>
/// Order statistics of round-trip times, in microseconds. Quantiles are nearest-rank (the smallest value with
/// at least q of the sample at or below it), as fe_ipc_bench computes them, so both sides agree exactly.
/// </summary>
internal readonly record struct LatencySummary(long Count, double MedianUs, double P99Us, double MeanUs, double MinUs, double MaxUs)
{
    public double P99OverMedian => MedianUs > 0 ? P99Us / MedianUs : double.NaN;

    public static LatencySummary Of(params LatencyLog[] logs)
    {
        long frequency = logs[0].TicksPerSecond;
        int total = 0;
        foreach (LatencyLog log in logs)
        {
            if (log.TicksPerSecond != frequency) throw new ArgumentException("logs of different clocks", nameof(logs));
            total += log.Count;
        }
        if (total == 0) return default;
        var all = new long[total];
        int at = 0;
        foreach (LatencyLog log in logs)
        {
            log.Values.CopyTo(all.AsSpan(at));
            at += log.Count;
        }
        Array.Sort(all);
        double sum = 0;
        foreach (long t in all) sum += t;
        double toUs = 1e6 / frequency;
        return new LatencySummary(total, Quantile(all, 0.5) * toUs, Quantile(all, 0.99) * toUs, sum / total * toUs, all[0] * toUs, all[^1] * toUs);
    }

    /// <summary>Nearest-rank quantile of an ascending array.</summary>
    public static long Quantile(long[] sorted, double q)
    {
        long rank = (long)Math.Ceiling(q * sorted.Length - 1e-9);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
