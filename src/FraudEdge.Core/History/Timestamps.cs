using System.Runtime.CompilerServices;

namespace FraudEdge.Core.History;

/// <summary>Fixed rings of event times kept inline in table entries (no per-entry arrays).</summary>
[InlineArray(8)]
internal struct Timestamps8
{
    private long _element0;
}

[InlineArray(4)]
internal struct Timestamps4
{
    private long _element0;
}

[InlineArray(16)]
internal struct Timestamps16
{
    private long _element0;
}

internal static class Window
{
    public const long TenMinutesMs = 10L * 60 * 1000;
    public const long OneHourMs = 60L * 60 * 1000;
    public const long OneDayMs = 24L * 60 * 60 * 1000;
    public const long ThirtyDaysMs = 30L * OneDayMs;

    /// <summary>Counts times in (now - window, now]; 0 marks an empty slot.</summary>
    public static int Count(ReadOnlySpan<long> times, long now, long window)
    {
        int n = 0;
        foreach (long t in times)
        {
            if (t != 0 && t <= now && now - t < window) n++;
        }
        return n;
    }

    /// <summary>SplitMix64 finaliser: spreads small keys (BIN prefixes, operator ids) over the table.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
