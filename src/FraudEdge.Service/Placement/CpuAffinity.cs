using System.Globalization;
using System.Runtime.InteropServices;

namespace FraudEdge.Service.Placement;

/// <summary>
/// Pins fraudedged to a set of CPUs (option <c>cpus</c>, <c>--cpus 1</c>, <c>--cpus 0-1</c>, <c>--cpus 0,2</c>). Why: with
/// fsync-each-record every answer waits for the storage's completion interrupt, and a thread that waits on a CPU
/// other than the one that takes the interrupt needs one more cross-CPU wake-up per decision (measured with
/// `bench audit` under taskset: fdatasync p50 145 µs on the interrupt's CPU, 220 µs on the other; docs/operations.md
/// "CPU placement"). Applied to every thread the process has when called, by thread id (sched_setaffinity(2) acts on
/// one thread); threads created later inherit their creator's mask.
/// </summary>
internal static partial class CpuAffinity
{
    /// <summary>Parses a CPU list ("1", "0-1", "0,2-3"; CPUs 0..63). Null with the reason when it is not one.</summary>
    public static ulong? TryParse(string text, out string? error)
    {
        error = null;
        ulong mask = 0;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2 ||
                !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from) ||
                !int.TryParse(range[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int to) ||
                from > to || to > 63)
            {
                error = $"cpus: '{text}' is not a CPU list such as 1, 0-1 or 0,2 (CPUs 0..63)";
                return null;
            }
            for (int cpu = from; cpu <= to; cpu++) mask |= 1UL << cpu;
        }
        return mask;
    }

    /// <summary>Parses <paramref name="list"/> and pins the process to it; InvalidOperationException with the reason when either fails.</summary>
    public static void Apply(string list) =>
        Apply(TryParse(list, out string? error) ?? throw new InvalidOperationException(error));

    /// <summary>Pins every current thread of this process to <paramref name="mask"/>. Throws when the kernel refuses (e.g. no such CPU).</summary>
    public static void Apply(ulong mask)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("cpus: CPU pinning is implemented for Linux only");
        // A thread started by a not-yet-pinned thread during a pass would keep the old mask: pass again until a pass
        // finds no thread it has not pinned already.
        var pinned = new HashSet<int>();
        for (int pass = 0; pass < 5; pass++)
        {
            bool found = false;
            foreach (string task in Directory.GetDirectories("/proc/self/task"))
            {
                int tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                if (!pinned.Add(tid)) continue;
                found = true;
                if (SchedSetAffinity(tid, (nuint)sizeof(ulong), ref mask) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == 3) continue; // ESRCH: the thread ended meanwhile
                    throw new InvalidOperationException($"cpus: sched_setaffinity refused CPU mask 0x{mask:x} (errno {errno}): is every CPU in the list online?");
                }
            }
            if (!found) return;
        }
    }

    /// <summary>The calling thread's mask (CPUs 0..63).</summary>
    public static ulong CurrentThreadMask()
    {
        ulong mask = 0;
        if (SchedGetAffinity(0, (nuint)sizeof(ulong), ref mask) != 0)
            throw new InvalidOperationException($"sched_getaffinity failed (errno {Marshal.GetLastPInvokeError()})");
        return mask;
    }

    /// <summary>Pins the calling thread only (bench: the in-process engine on the service's CPUs).</summary>
    public static void ApplyToCurrentThread(ulong mask)
    {
        if (SchedSetAffinity(0, (nuint)sizeof(ulong), ref mask) != 0)
            throw new InvalidOperationException($"cpus: sched_setaffinity refused CPU mask 0x{mask:x} (errno {Marshal.GetLastPInvokeError()})");
    }

    /// <summary>A mask as a CPU list ("0-1"), for logs and reports.</summary>
    public static string Describe(ulong mask)
    {
        var parts = new List<string>();
        for (int cpu = 0; cpu < 64; cpu++)
        {
            if ((mask & (1UL << cpu)) == 0) continue;
            int end = cpu;
            while (end + 1 < 64 && (mask & (1UL << (end + 1))) != 0) end++;
            parts.Add(end == cpu ? cpu.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{cpu}-{end}"));
            cpu = end;
        }
        return string.Join(',', parts);
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ref ulong mask);
}
