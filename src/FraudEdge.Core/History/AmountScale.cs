using System.Numerics;

namespace FraudEdge.Core.History;

/// <summary>
/// floor(4 · log2(amount)) in pure integer arithmetic, so amount buckets are bit-identical on x64 and
/// arm64 (Math.Log goes through the C library, whose last bit may differ by platform).
/// </summary>
public static class AmountScale
{
    // round(2^62 · 2^(j/4)) for j = 1, 2, 3: the quarter steps inside one octave.
    private const ulong Quarter1 = 5_484_249_825_272_419_328UL;  // 2^62.25
    private const ulong Quarter2 = 6_521_908_912_666_391_552UL;  // 2^62.5
    private const ulong Quarter3 = 7_755_900_482_342_532_096UL;  // 2^62.75

    /// <summary>Quarter-log2 of a positive amount (1 → 0, 2 → 4, 1000 → 39); 0 for amounts ≤ 1.</summary>
    public static int QuarterLog2(long amountMinor)
    {
        if (amountMinor <= 1) return 0;
        ulong a = (ulong)amountMinor;
        int octave = BitOperations.Log2(a);
        ulong normalised = a << (62 - octave); // top bit at 62
        int quarter = normalised >= Quarter3 ? 3 : normalised >= Quarter2 ? 2 : normalised >= Quarter1 ? 1 : 0;
        return octave * 4 + quarter;
    }
}
