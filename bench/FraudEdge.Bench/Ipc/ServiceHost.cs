using System.Diagnostics;
using FraudEdge.Client;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// The real fraudedged: the fraudedged.dll built next to this benchmark (the ProjectReference to FraudEdge.Service
/// copies it, with its runtimeconfig and deps, as it does for the service tests), run as
/// <c>dotnet fraudedged.dll --socket PATH --profile entry-a53</c> with its embedded model. Ready once a Ping is
/// answered; stopped with SIGTERM, as systemd stops it.
/// </summary>
internal sealed class ServiceHost : IDisposable
{
    private readonly ChildProcess _process;

    private ServiceHost(ChildProcess process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
    }

    /// <summary>The JIT build's runtime alone is ~50 MiB: over entry-a53's 48 MiB, which is the NativeAOT build's budget.</summary>
    public const string JitMemoryBudgetMib = "256";

    public string SocketPath { get; }

    public int Pid => _process.Pid;

    public string Output => _process.Output;

    public static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Starts fraudedged: the JIT build next to the benchmark, or <paramref name="nativeBinary"/> (a NativeAOT
    /// publish). <paramref name="memoryBudgetMib"/> null keeps the profile's budget.
    /// </summary>
    public static ServiceHost Start(string socketPath, string profile, string? nativeBinary = null, string? memoryBudgetMib = JitMemoryBudgetMib, string? cpus = null)
    {
        string[] service = ["--socket", socketPath, "--profile", profile, "--audit", Path.Combine(Path.GetDirectoryName(socketPath)!, "audit"),
            .. memoryBudgetMib is null ? Array.Empty<string>() : ["--memory-budget-mib", memoryBudgetMib],
            .. cpus is null ? Array.Empty<string>() : ["--cpus", cpus]];
        ChildProcess process;
        if (nativeBinary is not null)
        {
            process = ChildProcess.Start(nativeBinary, service);
        }
        else
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "fraudedged.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException("fraudedged.dll is not next to the benchmark (ProjectReference to FraudEdge.Service)", dll);
            process = ChildProcess.Start(DotnetHost(), [dll, .. service]);
        }
        var host = new ServiceHost(process, socketPath);
        try
        {
            host.WaitReady(TimeSpan.FromSeconds(60));
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    private void WaitReady(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"fraudedged exited with {_process.ExitCode}:\n{Output}");
            if (File.Exists(SocketPath))
            {
                try
                {
                    using var probe = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = SocketPath });
                    probe.Ping();
                    return;
                }
                catch (FraudEdgeClientException)
                {
                }
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"fraudedged did not answer a Ping within {timeout.TotalSeconds:F0} s:\n{Output}");
    }

    /// <summary>SIGTERM; the exit code (0 = drained and stopped cleanly, -1 = had to be killed).</summary>
    public int Stop() => _process.Stop(TimeSpan.FromSeconds(30));

    public void Dispose() => _process.Dispose();
}
