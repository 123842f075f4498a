namespace FraudEdge.Simulator;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. The simulator's only source of randomness:
/// System.Random's algorithm is an implementation detail that may change between .NET versions, and a
/// seed must reproduce the same log byte for byte. Each concern (world, traffic, fraud) gets its own stream
/// so that tuning one does not reshuffle the others.
/// </summary>
internal sealed class SimRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SimRandom(long seed, ulong stream)
    {
        ulong x = unchecked((ulong)seed * 0xD1B54A32D192ED03UL) ^ (stream * 0x9E3779B97F4A7C15UL) ^ 0x5DEECE66DUL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive) (Lemire's multiply-shift; the bias is below 2^-32).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public long NextLong(long minInclusive, long maxExclusive) =>
        maxExclusive <= minInclusive ? minInclusive : minInclusive + (long)(NextUInt64() % (ulong)(maxExclusive - minInclusive));

    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box-Muller.</summary>
    public double Normal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Log-normal with the given median and log-space standard deviation.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    public double Exponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    public int Poisson(double lambda)
    {
        if (lambda <= 0) return 0;
        if (lambda > 40)
            return Math.Max(0, (int)Math.Round(lambda + (Math.Sqrt(lambda) * Normal())));
        double limit = Math.Exp(-lambda), product = NextDouble();
        int n = 0;
        while (product > limit)
        {
            product *= NextDouble();
            n++;
        }
        return n;
    }

    /// <summary>Index drawn with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights) total += w;
        double u = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>Index into a cumulative weight table (binary search).</summary>
    public int PickCumulative(ReadOnlySpan<double> cumulative)
    {
        if (cumulative.Length == 0) return -1;
        double u = NextDouble() * cumulative[^1];
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
