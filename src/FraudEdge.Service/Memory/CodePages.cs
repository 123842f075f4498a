using System.Globalization;
using System.Runtime.InteropServices;

namespace FraudEdge.Service.Memory;

/// <summary>
/// Hands the kernel back the code pages that only start-up needed. Loading ONNX Runtime runs its static
/// initialisers and kernel registrations across most of its 29 MB library, so ~18 MiB of it is resident
/// after start-up, while a decision touches ~8 MiB. Those pages are clean and file-backed: MADV_PAGEOUT
/// (Linux 5.4+) drops them from this process's resident set at once, instead of whenever memory pressure
/// gets round to it; what decisions need faults straight back in from the page cache on the next run.
/// Only ONNX Runtime and the service's own files are advised — shared system libraries are left alone.
/// </summary>
internal static partial class CodePages
{
    private const int MadvPageout = 21;

    /// <summary>Advises every read-only file mapping of ORT and the service's own files; returns the bytes advised (0 if unsupported).</summary>
    public static long PageOut()
    {
        string own = AppContext.BaseDirectory;
        string? exe = Environment.ProcessPath;
        long advised = 0;
        IEnumerable<string> maps;
        try
        {
            maps = File.ReadAllLines("/proc/self/maps");
        }
        catch (IOException)
        {
            return 0;
        }
        foreach (string line in maps)
        {
            // "start-end perms offset dev inode path"
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[1].Contains('w', StringComparison.Ordinal)) continue;
            string path = f[5].Trim();
            bool ours = path.Contains("libonnxruntime", StringComparison.Ordinal) || path == exe
                        || (path.StartsWith(own, StringComparison.Ordinal) && !path.StartsWith("/usr/lib", StringComparison.Ordinal));
            if (!ours) continue;
            int dash = f[0].IndexOf('-');
            ulong start = ulong.Parse(f[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(f[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (Madvise((nint)start, (nuint)(end - start), MadvPageout) == 0) advised += (long)(end - start);
        }
        return advised;
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
