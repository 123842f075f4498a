using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Service.Memory;

/// <summary>
/// The garbage collector configured from the hardware profile: heap hard limit, conserve-memory, workstation
/// and non-concurrent. The GC reads these once, when the runtime starts, from DOTNET_ environment variables,
/// so the service sets them and re-executes itself (execve keeps the pid, so systemd's notify socket and a
/// supervising process see no change). Variables the operator already put in the environment win.
/// </summary>
internal static partial class GcSettings
{
    /// <summary>Set in the re-executed process so that it never loops.</summary>
    public const string AppliedMarker = "FRAUDEDGE_GC_APPLIED";

    /// <summary>0–9: how hard the GC compacts to keep fragmentation (and so resident memory) low; 7 is the documented "aggressive" range.</summary>
    public const int ConserveMemory = 7;

    private const long MiB = 1024 * 1024;

    /// <summary>The DOTNET_ variables the profile asks for.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(HardwareProfile profile) =>
    [
        // Hex without "0x": CoreCLR accepts both, NativeAOT only this (with "0x" it silently ignores the limit).
        new("DOTNET_GCHeapHardLimit", (profile.GcHeapLimitMib * MiB).ToString("X", CultureInfo.InvariantCulture)),
        new("DOTNET_GCConserveMemory", ConserveMemory.ToString(CultureInfo.InvariantCulture)),
        new("DOTNET_gcServer", "0"),
        new("DOTNET_gcConcurrent", "0"),
        // Not the GC, but read the same way (getenv, once, by native code): ONNX Runtime's Linux build starts a
        // telemetry thread that writes a device id and an SQLite store under ~/.cache and is built to upload.
        // A payment terminal sends nothing anywhere.
        new("ORT_DISABLE_TELEMETRY", "1"),
    ];

    /// <summary>
    /// Returns when the running GC already has the profile's settings (or the operator's own); otherwise
    /// re-executes the process with them and does not return. Returns false when re-execution failed (the
    /// caller logs it and runs with the GC as it is).
    /// </summary>
    public static bool EnsureApplied(HardwareProfile profile, out string description)
    {
        bool reexecuted = Environment.GetEnvironmentVariable(AppliedMarker) is not null;
        var missing = For(profile).Where(v => Environment.GetEnvironmentVariable(v.Key) is null).ToList();
        if (missing.Count == 0 || reexecuted)
        {
            description = Describe(reexecuted ? "from the profile" : "from the environment");
            return true;
        }
        // Only what the operator has not set: an explicit DOTNET_GCHeapHardLimit in the unit file wins.
        Reexecute(missing);
        description = Describe("re-execution failed: runtime defaults");
        return false;
    }

    /// <summary>What the running GC actually does: the heap limit it reports, server or workstation, concurrency.</summary>
    public static string Describe(string source)
    {
        long limit = HeapHardLimitBytes;
        return string.Create(CultureInfo.InvariantCulture,
            $"GC heap hard limit {(limit > 0 ? $"{limit / (double)MiB:0.#} MiB" : "none")}, {(GCSettings.IsServerGC ? "server" : "workstation")}, "
            + $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}, conserve memory "
            + $"{Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") ?? "0"} ({source})");
    }

    /// <summary>The hard limit in force (the GC reports it as the memory available to it), 0 when there is none.</summary>
    public static long HeapHardLimitBytes
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit");
            return configured is null ? 0 : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        }
    }

    private static void Reexecute(IReadOnlyList<KeyValuePair<string, string>> wanted)
    {
        // argv exactly as the kernel started us (dotnet host + dll, or the apphost / AOT binary).
        byte[] cmdline;
        try
        {
            cmdline = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (IOException)
        {
            return;
        }
        string[] argv = Encoding.UTF8.GetString(cmdline).TrimEnd('\0').Split('\0');
        var environment = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            environment.Add($"{e.Key}={e.Value}");
        foreach (var (key, value) in wanted) environment.Add($"{key}={value}");
        environment.Add($"{AppliedMarker}=1");
        Console.Out.Flush();
        Console.Error.Flush();
        string?[] argvZ = [.. argv, null];
        string?[] envZ = [.. environment, null];
        Execve("/proc/self/exe", argvZ, envZ);
        // Only reached when execve failed; the caller carries on with the runtime's defaults.
    }

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);
}
