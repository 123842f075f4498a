namespace FraudEdge.Service.Diagnostics;

/// <summary>Resident set size from /proc/self/status: the number a memory budget is checked against.</summary>
internal static class ProcessMemory
{
    public static (ulong Rss, ulong PeakRss) Read()
    {
        ulong rss = 0, hwm = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = ParseKib(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = ParseKib(line);
            }
        }
        catch (IOException)
        {
            // Not Linux, or /proc not mounted: report 0 rather than fail a Status request.
        }
        return (rss, hwm);
    }

    private static ulong ParseKib(string line)
    {
        ReadOnlySpan<char> value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        int space = value.IndexOf(' ');
        if (space > 0) value = value[..space];
        return ulong.TryParse(value, out ulong kib) ? kib * 1024 : 0;
    }
}
