using System.Diagnostics;
using System.Globalization;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// The C side, in bench/ipc: <c>make</c> builds echo_server, fe_ipc_bench and (through clients/c's own Makefile,
/// into bench/ipc/build/fraudedge-c) the C client library, all with clients/c's strict flags. On a device, where
/// there is no compiler, <see cref="UsePrebuilt"/> points at the two programs cross-compiled by
/// scripts/device-bench-kit.sh instead.
/// </summary>
internal static class NativeTools
{
    private static string? _prebuilt;

    public static string Folder => Path.Combine(BenchSettings.RepoRoot(), "bench", "ipc");

    private static string Binaries => _prebuilt ?? Path.Combine(Folder, "build");

    public static string EchoServer => Path.Combine(Binaries, "echo_server");

    public static string FeIpcBench => Path.Combine(Binaries, "fe_ipc_bench");

    /// <summary>Use echo_server and fe_ipc_bench from <paramref name="directory"/>; <see cref="Build"/> is then not needed.</summary>
    public static void UsePrebuilt(string directory)
    {
        foreach (string program in new[] { "echo_server", "fe_ipc_bench" })
        {
            if (!File.Exists(Path.Combine(directory, program))) throw new FileNotFoundException($"{program} is not in {directory}", Path.Combine(directory, program));
        }
        _prebuilt = directory;
    }

    /// <summary>Runs make; returns its output. Throws when it fails (the compiler's messages in the exception).</summary>
    public static string Build()
    {
        using var make = ChildProcess.Start("make", ["-C", Folder]);
        if (!make.WaitForExit(TimeSpan.FromMinutes(5))) throw new TimeoutException("make -C bench/ipc took over 5 minutes");
        make.WaitForExit();
        if (make.ExitCode != 0) throw new InvalidOperationException($"make -C {Folder} failed ({make.ExitCode}):\n{make.Output}");
        return make.Output;
    }

    /// <summary>echo_server on <paramref name="socketPath"/>, once it prints "ready".</summary>
    public static ChildProcess StartEchoServer(string socketPath)
    {
        var echo = ChildProcess.Start(EchoServer, ["--socket", socketPath], talk: true);
        string? line = echo.ReadLine();
        if (line != "ready")
        {
            echo.Dispose();
            throw new InvalidOperationException($"echo_server did not start: {line} {echo.Output}");
        }
        return echo;
    }

    /// <summary>What fe_ipc_bench reported on its last line, and the round trips it wrote.</summary>
    public sealed record CRun(LatencyLog Log, LatencyLog? CoreLog, long Errors, long WarmupErrors, long PayloadBytes, ulong PayloadFnv1a, double MedianUs, double P99Us);

    /// <summary>
    /// Runs fe_ipc_bench over <paramref name="requestsFile"/>. With <paramref name="atWarm"/> / <paramref name="atDone"/>
    /// it runs in --sync mode and calls them after the warm-up and after the measured requests, while its connection
    /// is still open (the service's Status is read there).
    /// </summary>
    public static CRun RunFeIpcBench(string socketPath, string requestsFile, int warmup, int count, string rttFile, bool echo,
        Action? atWarm = null, Action? atDone = null)
    {
        var args = new List<string>
        {
            "--socket", socketPath, "--requests", requestsFile, "--warmup", warmup.ToString(CultureInfo.InvariantCulture),
            "--count", count.ToString(CultureInfo.InvariantCulture), "--out", rttFile,
        };
        if (echo) args.Add("--echo");
        bool sync = atWarm is not null || atDone is not null;
        if (sync) args.Add("--sync");
        using var bench = ChildProcess.Start(FeIpcBench, args, talk: true);
        if (sync)
        {
            Expect(bench, "warm");
            atWarm?.Invoke();
            Answer(bench);
            Expect(bench, "done");
            atDone?.Invoke();
            Answer(bench);
        }
        string rest = bench.ReadToEnd();
        bench.WaitForExit();
        if (bench.ExitCode != 0) throw new InvalidOperationException($"fe_ipc_bench failed ({bench.ExitCode}):\n{rest}\n{bench.Output}");
        string summary = rest.Split('\n').LastOrDefault(l => l.StartsWith("fe_ipc_bench:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"fe_ipc_bench printed no summary:\n{rest}");
        Dictionary<string, string> values = summary["fe_ipc_bench:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        (LatencyLog log, LatencyLog? core) = LatencyLog.ReadFeIpcBench(rttFile, count);
        if (log.Count != count) throw new InvalidOperationException($"fe_ipc_bench wrote {log.Count} round trips, {count} expected");
        return new CRun(log, core, long.Parse(values["errors"], CultureInfo.InvariantCulture), long.Parse(values["warmup_errors"], CultureInfo.InvariantCulture),
            long.Parse(values["payload_bytes"], CultureInfo.InvariantCulture),
            ulong.Parse(values["payload_fnv1a"].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            double.Parse(values["median_us"], CultureInfo.InvariantCulture), double.Parse(values["p99_us"], CultureInfo.InvariantCulture));
    }

    private static void Expect(ChildProcess bench, string what)
    {
        var clock = Stopwatch.StartNew();
        string? line = bench.ReadLine();
        if (line != what)
        {
            bench.WaitForExit(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException($"fe_ipc_bench: expected \"{what}\", got \"{line}\" after {clock.Elapsed.TotalSeconds:F1} s:\n{bench.Output}");
        }
    }

    private static void Answer(ChildProcess bench)
    {
        bench.StandardInput.WriteLine("go");
        bench.StandardInput.Flush();
    }
}
