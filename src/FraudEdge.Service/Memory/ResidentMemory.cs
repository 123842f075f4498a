using Microsoft.Win32.SafeHandles;

namespace FraudEdge.Service.Memory;

/// <summary>
/// The process's resident set size (VmRSS), read from /proc/self/statm with one pread into a stack buffer: the
/// memory watch samples it several times a second, so it must not allocate (the service's steady state is
/// zero bytes per request, and a sampler that allocated would show up there).
/// </summary>
internal sealed class ResidentMemory : IDisposable
{
    private readonly SafeFileHandle? _statm;
    private readonly long _pageSize = Environment.SystemPageSize;

    public ResidentMemory(string path = "/proc/self/statm")
    {
        try
        {
            _statm = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc (not Linux, or a sandbox): the watch then reports 0 and never sheds.
            _statm = null;
        }
    }

    public bool Available => _statm is not null;

    /// <summary>Resident bytes now; 0 when /proc cannot be read.</summary>
    public long ReadBytes()
    {
        if (_statm is null) return 0;
        Span<byte> text = stackalloc byte[128];
        int n;
        try
        {
            n = RandomAccess.Read(_statm, text, 0);
        }
        catch (IOException)
        {
            return 0;
        }
        // statm: "size resident shared text lib data dt", in pages.
        ReadOnlySpan<byte> rest = text[..n];
        int space = rest.IndexOf((byte)' ');
        if (space < 0) return 0;
        rest = rest[(space + 1)..];
        long pages = 0;
        foreach (byte b in rest)
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            pages = pages * 10 + (b - '0');
        }
        return pages * _pageSize;
    }

    public void Dispose() => _statm?.Dispose();
}
