using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudEdge.Core.Audit;

namespace FraudEdge.Cli.Tests;

/// <summary>
/// `fraudedge play` against a real fraudedged the test starts (as scripts/arm64-parity.sh does): every event answered,
/// every request in the service's audit log, and the same options give two services the same traffic — their logs
/// compare bit-identical on one machine.
/// </summary>
public sealed class PlayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-play-").FullName;
    private readonly List<Process> _services = [];

    public void Dispose()
    {
        foreach (Process p in _services)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>entry-a53 with a 5 s deadline: a loaded CI machine must not turn a model decision into a rules one.</summary>
    private string Profile()
    {
        string path = Path.Combine(_dir, "profile.json");
        if (File.Exists(path)) return path;
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(DocsTests.RepoRoot(), "hardware-profiles", "entry-a53.json")))!.AsObject();
        profile["name"] = "play-test";
        profile["scoring"]!["deadline_us"] = 5_000_000;
        File.WriteAllText(path, profile.ToJsonString());
        return path;
    }

    private (Process Service, string Socket, string Audit) StartService(string name)
    {
        string socket = Path.Combine(_dir, name + ".sock"), audit = Path.Combine(_dir, name + "-audit");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"), "--socket", socket, "--audit", audit, "--profile", Profile(),
                     "--memory-budget-mib", "256"]) // the JIT build: entry-a53's 48 MiB is the NativeAOT build's budget
            psi.ArgumentList.Add(a);
        var service = Process.Start(psi)!;
        _services.Add(service);
        service.OutputDataReceived += (_, _) => { };
        service.ErrorDataReceived += (_, _) => { };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(service.HasExited, $"fraudedged exited with {(service.HasExited ? service.ExitCode : 0)}");
            if (File.Exists(socket))
            {
                try
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    probe.Connect(new UnixDomainSocketEndPoint(socket));
                    return (service, socket, audit);
                }
                catch (SocketException)
                {
                }
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("fraudedged did not open its socket");
    }

    private static void Stop(Process service)
    {
        using (var kill = Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(30)), "fraudedged did not stop on SIGTERM");
        Assert.Equal(0, service.ExitCode);
    }

    [Fact]
    public void Play_sends_one_terminals_traffic_and_two_services_get_the_same_requests()
    {
        var (first, socket, audit) = StartService("first");
        var (exit, stdout, stderr) = CliProcessTests.Run("play", "--socket", socket, "--events", "60", "--seed", "5", "--terminals", "3", "--days", "2", "--json");
        Assert.True(exit == 0, stdout + stderr);
        long outcomes;
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.Equal(60, r.GetProperty("events").GetInt32());
            Assert.Equal(60, r.GetProperty("allowed").GetInt32() + r.GetProperty("reviewed").GetInt32() + r.GetProperty("denied").GetInt32()
                + r.GetProperty("rejected").GetInt32());
            Assert.Equal(60, r.GetProperty("model_decisions").GetInt32() + r.GetProperty("rules_decisions").GetInt32() + r.GetProperty("rejected").GetInt32());
            Assert.Equal(0, r.GetProperty("rules_decisions").GetInt32());
            Assert.StartsWith("fraudedge-slm ", r.GetProperty("model").GetString(), StringComparison.Ordinal);
            Assert.Equal("play-test", r.GetProperty("profile").GetString());
            Assert.True(r.GetProperty("available_events").GetInt32() >= 60);
            outcomes = r.GetProperty("outcomes").GetInt64();
        }
        Stop(first);
        AuditVerifyReport log = AuditVerifier.Verify(audit);
        Assert.True(log.Intact);
        Assert.Equal(60, log.Decisions);
        Assert.Equal(outcomes, log.Outcomes);

        // The same options to a second service: the same requests in the same order, so the logs are bit-identical.
        var (second, socket2, audit2) = StartService("second");
        var again = CliProcessTests.Run("play", "--socket", socket2, "--events", "60", "--seed", "5", "--terminals", "3", "--days", "2");
        Assert.True(again.Exit == 0, again.Stdout + again.Stderr);
        Assert.Contains("60 events", again.Stdout, StringComparison.Ordinal);
        Stop(second);
        var compare = CliProcessTests.Run("compare", audit, audit2, "--json");
        Assert.True(compare.Exit == 0, compare.Stdout + compare.Stderr);
        using (var doc = JsonDocument.Parse(compare.Stdout))
        {
            Assert.Equal(60, doc.RootElement.GetProperty("bit_identical").GetInt64());
            Assert.Equal(outcomes, doc.RootElement.GetProperty("outcomes_b").GetInt64());
        }
    }

    [Fact]
    public void Play_without_a_service_exits_1_and_bad_options_exit_2()
    {
        var (exit, _, stderr) = CliProcessTests.Run("play", "--socket", Path.Combine(_dir, "nobody.sock"), "--events", "5", "--terminals", "1", "--days", "1");
        Assert.Equal(1, exit);
        Assert.Contains("nobody.sock", stderr, StringComparison.Ordinal);
        Assert.Equal(2, CliProcessTests.Run("play").Exit);
        Assert.Equal(2, CliProcessTests.Run("play", "--socket", "x.sock", "--events", "0").Exit);
        Assert.Equal(2, CliProcessTests.Run("play", "--socket", "x.sock", "--timeout-ms", "soon").Exit);
        Assert.Equal(2, CliProcessTests.Run("play", "--socket", "x.sock", "--fraud-multiplier", "200").Exit);
        Assert.Equal(2, CliProcessTests.Run("play", "--socket", "x.sock", "--terminal", "a-terminal-id-far-too-long").Exit);
        Assert.Equal(2, CliProcessTests.Run("play", "--socket", "x.sock", "extra").Exit);
    }
}
