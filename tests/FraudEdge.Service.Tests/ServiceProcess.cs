using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace FraudEdge.Service.Tests;

/// <summary>
/// The real fraudedged process (the fraudedged.dll built next to the tests) on a socket in its own temp
/// folder, with a test profile whose timeouts are short enough for tests. Its console output is kept for
/// assertions and for failure messages.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, string directory, string socketPath)
    {
        _process = process;
        Directory = directory;
        SocketPath = socketPath;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Directory { get; }
    public string SocketPath { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Test profile: entry-a53 with the given service limits (short timeouts keep tests fast) and, when given, audit
    /// segments of <paramref name="auditSegmentBytes"/> (small segments make the service rotate and sign checkpoints).
    /// </summary>
    public static string WriteProfile(string directory, int maxConnections = 4, int readTimeoutMs = 600, int idleTimeoutMs = 30_000, int maxTerminals = 1,
        long? auditSegmentBytes = null)
    {
        string repo = RepoRoot();
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "hardware-profiles", "entry-a53.json")))!.AsObject();
        profile["name"] = "test-entry";
        var service = profile["service"]!.AsObject();
        service["max_connections"] = maxConnections;
        service["read_timeout_ms"] = readTimeoutMs;
        service["idle_timeout_ms"] = idleTimeoutMs;
        profile["history"]!["max_terminals"] = maxTerminals;
        // A loaded CI machine can stall one ORT run past entry-a53's 20 ms; the rules would then decide and the
        // comparison with the in-process engine would be about timing, not about the service. 5 s (the schema's
        // maximum) keeps every test on the model path; the deadline itself is tested in FraudEdge.Core.Tests.
        profile["scoring"]!["deadline_us"] = 5_000_000;
        // The JIT build the tests run needs ~50 MiB for the runtime alone; entry-a53's 48 MiB is the NativeAOT
        // build's budget (hardware-profiles/README.md). The GC heap limit stays entry-a53's 12 MiB.
        profile["memory_budget_mib"] = 256;
        if (auditSegmentBytes is { } segmentBytes) profile["audit"]!["segment_bytes"] = segmentBytes;
        string path = Path.Combine(directory, "profile.json");
        File.WriteAllText(path, profile.ToJsonString());
        return path;
    }

    public static async Task<ServiceProcess> StartAsync(Func<string, string[]>? arguments = null, int maxConnections = 4,
        int readTimeoutMs = 600, int idleTimeoutMs = 30_000, string? socketPath = null, int maxTerminals = 1,
        IReadOnlyDictionary<string, string>? environment = null, long? auditSegmentBytes = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("fraudedged-test-");
        // Others must be able to reach the socket in the peer-credential tests (they run as another uid).
        File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
        string socket = socketPath ?? Path.Combine(dir.FullName, "fe.sock");
        string profile = WriteProfile(dir.FullName, maxConnections, readTimeoutMs, idleTimeoutMs, maxTerminals, auditSegmentBytes);
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"));
        psi.ArgumentList.Add("--socket");
        psi.ArgumentList.Add(socket);
        psi.ArgumentList.Add("--audit");
        psi.ArgumentList.Add(Path.Combine(dir.FullName, "audit"));
        psi.ArgumentList.Add("--profile");
        psi.ArgumentList.Add(profile);
        foreach (string a in arguments?.Invoke(dir.FullName) ?? []) psi.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        var service = new ServiceProcess(Process.Start(psi)!, dir.FullName, socket);
        await service.WaitReadyAsync();
        return service;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited) throw new InvalidOperationException($"fraudedged exited with {_process.ExitCode}:\n{Output}");
            if (File.Exists(SocketPath))
            {
                try
                {
                    using var probe = new RawConnection(SocketPath);
                    probe.Ping();
                    return;
                }
                catch (SocketException)
                {
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"fraudedged did not become ready:\n{Output}");
    }

    /// <summary>Waits for a log line (the console logger writes asynchronously).</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        if (!Output.Contains(text, StringComparison.Ordinal))
            Assert.Fail($"\"{text}\" not in fraudedged's output within 10 s; its last lines:\n{string.Join('\n', Output.Split('\n').TakeLast(40))}");
    }

    /// <summary>Waits until the readiness probe's connection is gone, so tests that count connections start from zero.</summary>
    public async Task WaitForNoOtherConnectionsAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var c = new RawConnection(SocketPath);
            uint id = c.Send(new FraudEdge.Protocol.Messages.StatusRequest());
            if (c.Read<FraudEdge.Protocol.Messages.StatusResponse>(id).ConnectionsActive == 1) return;
            await Task.Delay(20);
        }
        throw new TimeoutException("connections did not drain");
    }

    /// <summary>SIGTERM, as systemd stops it; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited) Kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Signal(int signal) => Kill(_process.Id, signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { await StopAsync(TimeSpan.FromSeconds(15)); }
            catch (OperationCanceledException) { _process.Kill(true); }
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }

    public static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
