using System.Diagnostics;
using System.Net.Sockets;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>Start, stop, restart: graceful drain on SIGTERM, socket file hygiene, the history snapshot, SIGHUP.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task SIGTERM_answers_what_was_read_then_says_shutting_down_removes_the_socket_and_exits_0()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var c = new RawConnection(service.SocketPath);
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(20).ToArray();
        uint first = 0;
        foreach (var e in events) { uint id = c.Send(WireMapping.ToWire(e.Event)); if (first == 0) first = id; }
        for (int i = 0; i < events.Length; i++) Assert.Equal(events[i].Event.EventId, c.Read<ScoreResponse>(first + (uint)i).EventId);

        service.Signal(15);
        Assert.Equal(ProtocolErrorCode.ShuttingDown, c.ReadError(0).Code);
        Assert.True(c.IsClosedByService());
        Assert.Equal(0, await service.StopAsync());
        Assert.False(File.Exists(service.SocketPath), "socket file left behind");
        await service.WaitForOutputAsync("Stopped; socket");
    }

    [Fact]
    public async Task A_stale_socket_file_from_a_crash_is_replaced_and_a_live_one_is_not_taken_over()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-stale-").FullName;
        string socketPath = Path.Combine(dir, "fe.sock");
        // A process that bound the socket and died without unlinking it (what SIGKILL leaves). Not a .NET
        // Socket: disposing one unlinks its file.
        using (var crashed = Process.Start("/usr/bin/python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", socketPath]))
        {
            await crashed.WaitForExitAsync();
        }
        Assert.True(File.Exists(socketPath));

        await using var service = await ServiceProcess.StartAsync(socketPath: socketPath);
        await service.WaitForOutputAsync("stale socket");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(socketPath));

        // A second instance on the same, live socket must refuse to start rather than steal it.
        var psi = new ProcessStartInfo(ServiceProcess.DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"), "--socket", socketPath, "--audit", Path.Combine(dir, "audit2"), "--profile", ServiceProcess.WriteProfile(dir) }) psi.ArgumentList.Add(a);
        using var second = Process.Start(psi)!;
        string stderr = await second.StandardError.ReadToEndAsync();
        await second.WaitForExitAsync();
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("already serving", stderr, StringComparison.Ordinal);

        using var c = new RawConnection(socketPath);
        Assert.Equal(1u, c.Ping().ProtocolVersion); // the first instance is untouched
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task The_history_snapshot_is_written_at_stop_and_restored_at_the_next_start()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-snap-").FullName;
        string snapshot = Path.Combine(dir, "history.snapshot");
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(30).ToArray();

        await using (var service = await ServiceProcess.StartAsync(_ => ["--snapshot", snapshot]))
        {
            using var c = new RawConnection(service.SocketPath);
            foreach (var e in events) c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(e.Event)));
            Assert.Equal(0, await service.StopAsync());
        }
        Assert.True(File.Exists(snapshot));

        await using (var restarted = await ServiceProcess.StartAsync(_ => ["--snapshot", snapshot]))
        {
            await restarted.WaitForOutputAsync("restored");
            // The restored history knows the terminal's clock: an event from before the last one is out of sequence.
            using var c = new RawConnection(restarted.SocketPath);
            var stale = WireMapping.ToWire(events[^1].Event);
            stale.EventId += 1_000_000;
            stale.TimestampMs -= 3 * 86_400_000L;
            ErrorResponse e = c.ReadError(c.Send(stale));
            Assert.Equal(ProtocolErrorCode.InvalidEvent, e.Code);
            Assert.Contains(e.Detail, new ushort[] { 103, 104 }); // TimestampOutOfRange / OutOfSequence
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task SIGHUP_without_a_model_folder_is_logged_and_the_service_keeps_deciding()
    {
        await using var service = await ServiceProcess.StartAsync();
        service.Signal(1);
        var clock = Stopwatch.StartNew();
        while (!service.Output.Contains("SIGHUP ignored", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);
        Assert.Contains("SIGHUP ignored", service.Output, StringComparison.Ordinal);
        Assert.False(service.HasExited);
        using var c = new RawConnection(service.SocketPath);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public async Task The_deploy_example_configuration_runs_a_signed_bundle_folder_with_its_trusted_key()
    {
        string repo = ServiceProcess.RepoRoot();
        string dir = Directory.CreateTempSubdirectory("fraudedged-config-").FullName;
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "deploy", "fraudedged.json")))!;
        var fe = config["FraudEdge"]!;
        fe["SocketPath"] = Path.Combine(dir, "fe.sock");
        fe["ModelDirectory"] = Path.Combine(repo, "models", "fraudedge-slm");
        fe["TrustedKeys"] = new System.Text.Json.Nodes.JsonArray(Path.Combine(repo, "keys", "test", "fraudedge-test-signing.pub.pem"));
        fe["SnapshotPath"] = Path.Combine(dir, "history.snapshot");
        fe["AuditDirectory"] = Path.Combine(dir, "audit");
        fe["MemoryBudgetMib"] = 256; // the JIT build; entry-a53's 48 MiB is the NativeAOT build's budget
        string configPath = Path.Combine(dir, "fraudedged.json");
        File.WriteAllText(configPath, config.ToJsonString());

        var psi = new ProcessStartInfo(ServiceProcess.DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"), "--config", configPath }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(fe["SocketPath"]!.GetValue<string>()) && clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited) await Task.Delay(50);
            using var c = new RawConnection(fe["SocketPath"]!.GetValue<string>());
            var status = c.Read<StatusResponse>(c.Send(new StatusRequest()));
            Assert.Equal("entry-a53", status.Profile);
            Assert.Equal("fraudedge-slm", status.ModelName); // loaded from the folder, verified with the configured key
            Assert.Null(status.ModelRefusal);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_bundle_folder_without_a_trusted_key_is_refused_and_the_rules_decide()
    {
        string model = Path.Combine(ServiceProcess.RepoRoot(), "models", "fraudedge-slm");
        await using var service = await ServiceProcess.StartAsync(_ => ["--model", model]);
        using var c = new RawConnection(service.SocketPath);
        var status = c.Read<StatusResponse>(c.Send(new StatusRequest()));
        Assert.Null(status.ModelName);
        Assert.NotNull(status.ModelRefusal);
        var e = TestTraffic.OneTerminal.First(r => r.Kind == EventLogRecordKind.Event).Event;
        var response = c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(e)));
        Assert.Equal(2, response.Source); // rules: no model
        Assert.Equal("", response.ModelVersion.ToString());
    }
}
