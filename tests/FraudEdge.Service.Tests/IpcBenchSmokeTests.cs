using System.Diagnostics;
using System.Text.Json;

namespace FraudEdge.Service.Tests;

/// <summary>
/// The IPC benchmark (<c>FraudEdge.Bench ipc</c>, bench/README.md) runs end to end in a tiny configuration: make of
/// the C tools, the real fraudedged, all six phases (and the diagnostic a2), 4 concurrent connections without an
/// error, a clean SIGTERM stop. Timings and the allocation figure are the benchmark's business, not a unit test's: none is asserted.
/// The bench is built by this project's ProjectReference to it (ReferenceOutputAssembly="false": built first, but
/// BenchmarkDotNet and its dependencies stay out of this test's bin) and run from its own output folder.
/// </summary>
public sealed class IpcBenchSmokeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Phases =
        ["a. in-process", "b. echo .NET↔C", "c. echo C↔C", "d. IPC .NET client", "e. IPC C client", "f. IPC 4 connections"];

    private static readonly string[] Sequential = ["a", "a2", "b", "c", "d", "e"];

    [Fact]
    public void The_ipc_benchmark_runs_all_six_phases_and_the_4_connection_phase_has_no_errors()
    {
        string json = Path.Combine(Path.GetTempPath(), $"fraudedge-ipc-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = Run(BenchDll(), ["ipc", "--quick", "--requests", "300", "--duration-s", "1", "--json", json]);
            output.WriteLine(stdout);
            output.WriteLine(stderr);
            Assert.True(code == 0, $"exit code {code}\n{stdout}\n{stderr}");

            foreach (string phase in Phases) Assert.Contains($"| {phase} |", stdout, StringComparison.Ordinal);

            using var report = JsonDocument.Parse(File.ReadAllText(json));
            JsonElement root = report.RootElement;
            Assert.Equal(0, root.GetProperty("service_exit_code").GetInt32());
            Dictionary<string, JsonElement> phases = root.GetProperty("phases").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
            Assert.Equal([.. Sequential, "f"], phases.Keys.Order(StringComparer.Ordinal));
            foreach (string id in Sequential)
            {
                Assert.Equal(300, phases[id].GetProperty("n").GetInt64());
                Assert.Equal(0, phases[id].GetProperty("errors").GetInt64());
            }
            foreach (JsonElement p in new[] { phases["d"], phases["e"], phases["f"] })
            {
                // Every measured request was decided by the service, none refused.
                Assert.Equal(p.GetProperty("n").GetInt64(), p.GetProperty("service_decisions").GetInt64());
                Assert.Equal(0, p.GetProperty("service_rejected").GetInt64());
            }

            JsonElement f = phases["f"];
            Assert.True(f.GetProperty("n").GetInt64() > 0, "the 4-connection phase made no request");
            Assert.Equal(0, f.GetProperty("errors").GetInt64());
            Assert.Equal(4, f.GetProperty("connections").GetInt32());
            Assert.Equal(4, f.GetProperty("service_connections_active_start").GetInt32());
            Assert.Equal(4, f.GetProperty("service_connections_active_end").GetInt32());
            JsonElement connectionsCheck = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "iv");
            Assert.Equal("PASS", connectionsCheck.GetProperty("verdict").GetString());
            Assert.Matches(@"\(iv\) 4 concurrent connections: 0 errors for the whole phase: \*\*PASS\*\* — 0 errors", stdout);
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>bench/FraudEdge.Bench's output for this test's configuration and framework (bin/Release/net10.0).</summary>
    private static string BenchDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(ServiceProcess.RepoRoot(), "bench", "FraudEdge.Bench", "bin", here.Parent!.Name, here.Name, "FraudEdge.Bench.dll");
        Assert.True(File.Exists(path), $"{path} is missing: it is built by the ProjectReference to bench/FraudEdge.Bench in FraudEdge.Service.Tests.csproj");
        return path;
    }

    private static (int Code, string Stdout, string Stderr) Run(string dll, string[] args)
    {
        var psi = new ProcessStartInfo(ServiceProcess.DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"the ipc benchmark did not finish within 5 minutes:\n{stdout.Result}\n{stderr.Result}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
