using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FraudEdge.ComputeFloor;

/// <summary>
/// Single-thread fp32 rates of this core, with <see cref="Vector{T}"/> (the width the JIT picks: 8 lanes
/// with AVX2, 4 with NEON/SSE):
/// <list type="bullet">
/// <item><b>FMA peak</b>: 12 independent fused multiply-add chains on registers — enough to cover FMA latency
///   on two FMA ports, so it approaches the core's arithmetic peak. No memory traffic.</item>
/// <item><b>Dot product</b>: a·b over two 8 KB arrays that stay in L1, four accumulators — two loads per FMA,
///   which is what a MatMul inner loop without register blocking does.</item>
/// </list>
/// Each is run for a fixed time several times; the median is reported.
/// </summary>
public static class FlopRate
{
    public static double FmaPeakGflops(double seconds, int repeats, out double best) =>
        Median(repeats, seconds, FmaChunk, out best);

    public static double DotGflops(double seconds, int repeats, out double best) =>
        Median(repeats, seconds, DotChunk, out best);

    private static double Median(int repeats, double seconds, Func<double> chunk, out double best)
    {
        chunk(); // JIT and caches
        var rates = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            double flops = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds) flops += chunk();
            rates[r] = flops / sw.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(rates);
        best = rates[^1];
        return rates[repeats / 2];
    }

    public static float Sink;

    private const int FmaIterations = 1 << 20;

    private static double FmaChunk()
    {
        Sink += Fma(FmaIterations);
        return (double)FmaIterations * 12 * 2 * Vector<float>.Count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Fma(int iterations)
    {
        var m = new Vector<float>(0.999999f);
        var c = new Vector<float>(1e-7f);
        Vector<float> a0 = new(1.00f), a1 = new(1.01f), a2 = new(1.02f), a3 = new(1.03f), a4 = new(1.04f), a5 = new(1.05f);
        Vector<float> a6 = new(1.06f), a7 = new(1.07f), a8 = new(1.08f), a9 = new(1.09f), a10 = new(1.10f), a11 = new(1.11f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, c); a1 = Vector.FusedMultiplyAdd(a1, m, c);
            a2 = Vector.FusedMultiplyAdd(a2, m, c); a3 = Vector.FusedMultiplyAdd(a3, m, c);
            a4 = Vector.FusedMultiplyAdd(a4, m, c); a5 = Vector.FusedMultiplyAdd(a5, m, c);
            a6 = Vector.FusedMultiplyAdd(a6, m, c); a7 = Vector.FusedMultiplyAdd(a7, m, c);
            a8 = Vector.FusedMultiplyAdd(a8, m, c); a9 = Vector.FusedMultiplyAdd(a9, m, c);
            a10 = Vector.FusedMultiplyAdd(a10, m, c); a11 = Vector.FusedMultiplyAdd(a11, m, c);
        }
        Vector<float> s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
        return Vector.Sum(s);
    }

    private const int DotLength = 2048; // 2 × 8 KB: L1-resident
    private const int DotPasses = 256;
    private static readonly float[] X = MakeArray(1), Y = MakeArray(2);

    private static float[] MakeArray(int seed)
    {
        var rng = new Random(seed);
        var a = new float[DotLength];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble();
        return a;
    }

    private static double DotChunk()
    {
        float s = 0;
        for (int p = 0; p < DotPasses; p++) s += Dot(X, Y);
        Sink += s;
        return 2.0 * DotLength * DotPasses;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Dot(float[] x, float[] y)
    {
        nuint w = (nuint)Vector<float>.Count;
        Vector<float> s0 = Vector<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        ref float xr = ref MemoryMarshal.GetArrayDataReference(x);
        ref float yr = ref MemoryMarshal.GetArrayDataReference(y);
        nuint n = (nuint)x.Length;
        for (nuint i = 0; i + 4 * w <= n; i += 4 * w)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, i), Vector.LoadUnsafe(ref yr, i), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, i + w), Vector.LoadUnsafe(ref yr, i + w), s1);
            s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, i + 2 * w), Vector.LoadUnsafe(ref yr, i + 2 * w), s2);
            s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref xr, i + 3 * w), Vector.LoadUnsafe(ref yr, i + 3 * w), s3);
        }
        return Vector.Sum(s0 + s1 + s2 + s3);
    }
}
