using System.Globalization;

namespace FraudEdge.Bench.Memory;

/// <summary>
/// Where a process's resident memory is, from /proc/PID/smaps, grouped the way a budget is argued about:
/// ONNX Runtime's library, the .NET runtime and the service's code, the C/C++ libraries, and anonymous memory
/// (GC heap, malloc arenas incl. ONNX Runtime's buffers and the model's weights, thread stacks).
/// </summary>
internal static class ProcessMemoryMap
{
    public static (long RssKib, long HwmKib) Status(int pid)
    {
        var (rss, hwm, _) = StatusWithAnonymous(pid);
        return (rss, hwm);
    }

    /// <summary>VmRSS, VmHWM and RssAnon (the anonymous part: what a leak grows; file-backed code pages are bounded by the files).</summary>
    public static (long RssKib, long HwmKib, long AnonKib) StatusWithAnonymous(int pid)
    {
        long rss = 0, hwm = 0, anon = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kib(line);
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal)) anon = Kib(line);
        }
        return (rss, hwm, anon);
    }

    public static SortedDictionary<string, long> ResidentByPart(int pid)
    {
        var parts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        string part = "anonymous";
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                part = Classify(fields.Length >= 6 ? fields[5].Trim() : "");
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                parts[part] = parts.GetValueOrDefault(part) + Kib(line);
            }
        }
        return parts;
    }

    private static string Classify(string path)
    {
        if (path.Contains("libonnxruntime", StringComparison.Ordinal)) return "onnxruntime library";
        if (path.Length == 0 || path.StartsWith('[') || path.StartsWith("/memfd:", StringComparison.Ordinal)) return "anonymous (GC heap, malloc, stacks)";
        if (path.EndsWith(".dll", StringComparison.Ordinal) || path.Contains("/dotnet/", StringComparison.Ordinal) || path.EndsWith("fraudedged", StringComparison.Ordinal))
            return ".NET runtime and service code";
        return "C/C++ libraries and other files";
    }

    private static bool IsMappingHeader(string line)
    {
        int dash = line.IndexOf('-');
        return dash > 0 && line.AsSpan(0, dash).IndexOfAnyExcept("0123456789abcdef") < 0;
    }

    private static long Kib(string line)
    {
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        int space = value.IndexOf(' ');
        return long.Parse(space > 0 ? value[..space] : value, CultureInfo.InvariantCulture);
    }
}
