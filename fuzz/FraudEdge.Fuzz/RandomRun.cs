using System.Buffers.Binary;
using System.Diagnostics;
using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz;

/// <summary>What a bounded in-process run did.</summary>
public readonly record struct RandomRunResult(int Executions, TimeSpan Elapsed)
{
    public double ExecutionsPerSecond => Executions / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Thrown when a target fails during a random run; carries the input so it can be kept as a crash file.</summary>
public sealed class RandomRunFailure(string target, int iteration, byte[] input, Exception inner)
    : Exception($"fuzz target '{target}' failed at iteration {iteration} on {input.Length} bytes (base64 {Convert.ToBase64String(input)}): {inner.GetType().Name}: {inner.Message}", inner)
{
    public byte[] Input { get; } = input;
}

/// <summary>
/// A small, deterministic, in-process mutation fuzzer: no coverage feedback, but it needs no AFL and runs
/// in CI on every build (tests/FraudEdge.Fuzz.Tests), from a fixed seed so a failure reproduces exactly.
/// Mutations are the AFL havoc classics: bit flips, random bytes, interesting 8/16/32/64-bit values,
/// block insert/delete/duplicate, splice with another seed, truncation.
/// </summary>
public static class RandomRun
{
    private static readonly long[] Interesting =
    [
        0, 1, -1, 2, 6, 7, 8, 9, 12, 16, 100, 127, 128, 255, 256, 999, 1000, 9999, 32767, 32768, 65535, 65536,
        int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue,
        946_684_800_000, 4_102_444_800_000, 86_400_000, 999_999_999_999,
    ];

    public static RandomRunResult Run(string targetName, IReadOnlyList<byte[]> seeds, int iterations, int seed, int maxLength = 1 << 16)
    {
        FuzzTarget target = FuzzTargets.Get(targetName);
        var rng = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Next(rng, seeds, maxLength);
            try
            {
                target(input);
            }
            catch (Exception e)
            {
                throw new RandomRunFailure(targetName, i, input, e);
            }
        }
        return new RandomRunResult(iterations, stopwatch.Elapsed);
    }

    /// <summary>One input: 1 in 16 pure random bytes, otherwise a seed with 1–8 stacked mutations.</summary>
    public static byte[] Next(Random rng, IReadOnlyList<byte[]> seeds, int maxLength)
    {
        if (seeds.Count == 0 || rng.Next(16) == 0)
        {
            byte[] random = new byte[rng.Next(0, 512)];
            rng.NextBytes(random);
            return random;
        }
        var data = new List<byte>(seeds[rng.Next(seeds.Count)]);
        int stack = 1 << rng.Next(0, 4);
        for (int m = 0; m < stack; m++) Mutate(rng, data, seeds);
        if (data.Count > maxLength) data.RemoveRange(maxLength, data.Count - maxLength);
        return [.. data];
    }

    private static void Mutate(Random rng, List<byte> data, IReadOnlyList<byte[]> seeds)
    {
        if (data.Count == 0)
        {
            data.Add((byte)rng.Next(256));
            return;
        }
        int at = rng.Next(data.Count);
        switch (rng.Next(9))
        {
            case 0: data[at] ^= (byte)(1 << rng.Next(8)); break;
            case 1: data[at] = (byte)rng.Next(256); break;
            case 2: data[at] = (byte)(data[at] + rng.Next(-35, 36)); break;
            case 3:
            {
                // An interesting integer, little-endian, 2/4/8 bytes wide: the layouts are little-endian.
                int width = 2 << rng.Next(3);
                if (at + width > data.Count) break;
                Span<byte> v = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(v, Interesting[rng.Next(Interesting.Length)]);
                for (int k = 0; k < width; k++) data[at + k] = v[k];
                break;
            }
            case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + rng.Next(32))); break;
            case 5:
            {
                int len = Math.Min(data.Count - at, 1 + rng.Next(128));
                data.InsertRange(rng.Next(data.Count + 1), data.GetRange(at, len));
                break;
            }
            case 6:
            {
                byte[] other = seeds[rng.Next(seeds.Count)];
                if (other.Length == 0) break;
                int from = rng.Next(other.Length);
                int len = Math.Min(other.Length - from, 1 + rng.Next(256));
                int to = rng.Next(data.Count);
                for (int k = 0; k < len && to + k < data.Count; k++) data[to + k] = other[from + k];
                break;
            }
            case 7: data.RemoveRange(at, data.Count - at); break;
            default:
            {
                byte[] block = new byte[1 + rng.Next(16)];
                rng.NextBytes(block);
                data.InsertRange(at, block);
                break;
            }
        }
    }
}
