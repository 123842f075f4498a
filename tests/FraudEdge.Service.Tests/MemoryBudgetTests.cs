using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using FraudEdge.Core;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;
using FraudEdge.Service.Diagnostics;
using FraudEdge.Service.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudEdge.Service.Tests;

/// <summary>
/// The hardware profile's memory budget (docs/operations.md "Memory budget"): the GC configured from it, a
/// start refused with the numbers when it cannot hold the service, and ScoreRequests shed while over it.
/// </summary>
public sealed class MemoryBudgetTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task The_GC_runs_with_the_profiles_heap_limit_and_Status_reports_the_budget()
    {
        await using var service = await ServiceProcess.StartAsync();
        using var c = new RawConnection(service.SocketPath);
        StatusResponse status = c.Read<StatusResponse>(c.Send(new StatusRequest()));

        Assert.Equal(12UL * MiB, status.GcHeapLimitBytes); // entry-a53's gc_heap_limit_mib, in force after the re-exec
        Assert.Equal(256UL * MiB, status.MemoryBudgetBytes); // the test profile's budget (ServiceProcess.WriteProfile)
        Assert.False(status.Shedding);
        Assert.InRange(status.RssBytes, 1UL, status.MemoryBudgetBytes);
        string environ = File.ReadAllText($"/proc/{service.Pid}/environ").Replace('\0', '\n');
        Assert.Contains("DOTNET_GCHeapHardLimit=C00000", environ, StringComparison.Ordinal);
        Assert.Contains("DOTNET_gcConcurrent=0", environ, StringComparison.Ordinal);
        await service.WaitForOutputAsync("GC heap hard limit 12 MiB, workstation, non-concurrent");
    }

    [Fact]
    public async Task A_heap_limit_the_operator_set_in_the_environment_wins()
    {
        await using var service = await ServiceProcess.StartAsync(environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "1800000" });
        using var c = new RawConnection(service.SocketPath);
        StatusResponse status = c.Read<StatusResponse>(c.Send(new StatusRequest()));
        Assert.Equal(24UL * MiB, status.GcHeapLimitBytes);
    }

    [Fact]
    public async Task A_budget_too_small_for_the_service_is_refused_at_start_up_with_the_numbers()
    {
        var (exitCode, stderr) = await RunToExit(profile => profile["memory_budget_mib"] = 16);
        Assert.Equal(2, exitCode);
        Assert.Contains("memory budget 16.0 MiB cannot hold the runtime (", stderr, StringComparison.Ordinal);
        Assert.Contains("MiB measured) + history tables (0.7 MiB) + connection buffers (", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // one clear line, no stack trace
    }

    [Fact]
    public async Task A_budget_that_the_loaded_model_overflows_is_refused_with_what_was_measured()
    {
        // entry-a53's 48 MiB holds the JIT runtime (~40 MiB measured) before the model is loaded, not after
        // (57–71 MiB measured even after start-up-only pages are returned; 60 MiB was inside that range).
        var (exitCode, stderr) = await RunToExit(profile => profile["memory_budget_mib"] = 48);
        Assert.Equal(2, exitCode);
        Assert.Contains("memory budget 48.0 MiB", stderr, StringComparison.Ordinal);
        Assert.Contains("(measured)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_tables_larger_than_the_GC_heap_limit_are_refused_at_start_up()
    {
        var (exitCode, stderr) = await RunToExit(profile => profile["history"]!["card_capacity"] = 1 << 20);
        Assert.Equal(2, exitCode);
        Assert.Contains("gc_heap_limit_mib 12.0 cannot hold the history tables (", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watch_gives_memory_back_then_sheds_over_budget_and_resumes_under_95_percent()
    {
        long resident = 90 * MiB;
        var watch = new MemoryWatch(100 * MiB, () => resident, NullLogger.Instance);
        watch.Sample();
        Assert.False(watch.Shedding);

        resident = 101 * MiB;
        watch.Sample();
        Assert.True(watch.Shedding);
        Assert.Equal(1, watch.Episodes);

        resident = 96 * MiB; // under the budget but not under 95 %: no flapping
        watch.Sample();
        Assert.True(watch.Shedding);

        resident = 94 * MiB;
        watch.Sample();
        Assert.False(watch.Shedding);
        Assert.Equal(94 * MiB, watch.ResidentBytes);
    }

    [Fact]
    public void The_watch_does_not_shed_when_giving_memory_back_is_enough()
    {
        int reads = 0;
        // Over on the first read; the second read (after the GC and malloc_trim) is back under.
        var watch = new MemoryWatch(100 * MiB, () => ++reads == 1 ? 101 * MiB : 80 * MiB, NullLogger.Instance);
        watch.Sample();
        Assert.False(watch.Shedding);
        Assert.Equal(0, watch.Episodes);
    }

    [Fact]
    public void While_shedding_a_ScoreRequest_gets_OverMemoryBudget_and_nothing_is_decided_and_the_rest_is_served()
    {
        long resident = 200 * MiB;
        var watch = new MemoryWatch(100 * MiB, () => resident, NullLogger.Instance);
        using var engine = new FraudEngine(new FraudEngineOptions { Profile = HardwareProfiles.Resolve("entry-a53"), RulesOnly = true });
        using var metrics = new ServiceMetrics();
        var dispatcher = new RequestDispatcher(engine, metrics, watch, NullLogger<RequestDispatcher>.Instance);
        var frames = new FrameWriter();
        ScoreRequest score = WireMapping.ToWire(TestTraffic.OneTerminal.First(r => r.Kind == EventLogRecordKind.Event).Event);

        watch.Sample();
        Assert.True(watch.Shedding);
        var (type, payload) = Dispatch(dispatcher, frames, score, 7);
        Assert.Equal(MessageType.Error, type);
        ErrorResponse.TryRead(new ReadOnlySequence<byte>(payload), out ErrorResponse error, out _);
        Assert.Equal(ProtocolErrorCode.OverMemoryBudget, error.Code);
        Assert.Equal(0, engine.Status().Decisions);
        Assert.Equal(MessageType.Pong, Dispatch(dispatcher, frames, new Ping(), 8).Type);
        StatusResponse.TryRead(new ReadOnlySequence<byte>(Dispatch(dispatcher, frames, new StatusRequest(), 9).Payload), out StatusResponse status, out _);
        Assert.True(status.Shedding);

        resident = 50 * MiB;
        watch.Sample();
        Assert.Equal(MessageType.ScoreResponse, Dispatch(dispatcher, frames, score, 10).Type);
        Assert.Equal(1, engine.Status().Decisions);
        Assert.False(new ProtocolError(ProtocolErrorCode.OverMemoryBudget, "").ClosesConnection);
    }

    private static (MessageType Type, byte[] Payload) Dispatch<T>(RequestDispatcher dispatcher, FrameWriter frames, in T message, uint requestId)
        where T : struct, IProtocolMessage<T>
    {
        var request = new ArrayBufferWriter<byte>();
        frames.Write(request, requestId, message);
        Assert.Equal(OperationStatus.Done, FrameCodec.TryReadFrame(new ReadOnlySequence<byte>(request.WrittenMemory), 1 << 16, out Frame frame, out _, out _));
        var response = new ArrayBufferWriter<byte>();
        dispatcher.Handle(frame, frames, response, 1);
        Assert.Equal(OperationStatus.Done, FrameCodec.TryReadFrame(new ReadOnlySequence<byte>(response.WrittenMemory), 1 << 16, out Frame answer, out _, out _));
        Assert.Equal(requestId, answer.Header.RequestId);
        return (answer.Header.Type, answer.Payload.ToArray());
    }

    /// <summary>Starts fraudedged with the test profile changed by <paramref name="change"/>, expecting it to refuse.</summary>
    private static async Task<(int ExitCode, string Stderr)> RunToExit(Action<JsonObject> change)
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-budget-").FullName;
        try
        {
            string profilePath = ServiceProcess.WriteProfile(dir);
            var profile = JsonNode.Parse(File.ReadAllText(profilePath))!.AsObject();
            change(profile);
            File.WriteAllText(profilePath, profile.ToJsonString());
            var psi = new ProcessStartInfo(ServiceProcess.DotnetHost()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "fraudedged.dll"), "--socket", Path.Combine(dir, "fe.sock"),
                         "--audit", Path.Combine(dir, "audit"), "--profile", profilePath })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderrText = process.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    Assert.Fail("fraudedged was expected to refuse to start but was still running after 60 s");
                }
            }
            string stderr = await stderrText;
            await stdout;
            Assert.False(File.Exists(Path.Combine(dir, "fe.sock")), "a refused service must not have bound its socket");
            return (process.ExitCode, stderr);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
