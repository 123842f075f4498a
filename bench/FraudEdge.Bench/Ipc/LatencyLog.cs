using System.Runtime.CompilerServices;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// Round-trip times of one phase (or one thread of a phase) in a preallocated array of clock ticks:
/// <see cref="Add"/> is a store and an increment, so the measured loops allocate nothing. A full log counts
/// what it could not keep in <see cref="Dropped"/> rather than growing.
/// </summary>
internal sealed class LatencyLog(int capacity, long ticksPerSecond)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    /// <summary>Clock ticks per second of the values: Stopwatch.Frequency, or 1e9 for the C side's nanoseconds.</summary>
    public long TicksPerSecond { get; } = ticksPerSecond;

    public int Count => _count;

    public long Dropped { get; private set; }

    public static LatencyLog ForStopwatch(int capacity) => new(capacity, System.Diagnostics.Stopwatch.Frequency);

    /// <summary>For times the decision core reports itself (Decision.ElapsedMicroseconds, ScoreResponse elapsed_us).</summary>
    public static LatencyLog ForMicroseconds(int capacity) => new(capacity, 1_000_000);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long ticks)
    {
        if (_count < _ticks.Length) _ticks[_count++] = ticks;
        else Dropped++;
    }

    public ReadOnlySpan<long> Values => _ticks.AsSpan(0, _count);

    /// <summary>
    /// What fe_ipc_bench --out writes: one line per request, the round trip in nanoseconds, then (score mode) the
    /// service's elapsed_us. Returns the round trips and, when present, the service's times.
    /// </summary>
    public static (LatencyLog RoundTrips, LatencyLog? Core) ReadFeIpcBench(string path, int capacity)
    {
        var rtt = new LatencyLog(capacity, 1_000_000_000);
        LatencyLog? core = null;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            rtt.Add(long.Parse(space < 0 ? line : line[..space], System.Globalization.CultureInfo.InvariantCulture));
            if (space < 0) continue;
            core ??= ForMicroseconds(capacity);
            core.Add(long.Parse(line.AsSpan(space + 1), provider: System.Globalization.CultureInfo.InvariantCulture));
        }
        return (rtt, core);
    }
}
