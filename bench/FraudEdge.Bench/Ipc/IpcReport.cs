using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// The results of one run: the markdown table, the issue's targets checked against this run's numbers, and the
/// same as JSON (<c>--json FILE</c>).
/// </summary>
internal sealed class IpcReport
{
    public required MachineInfo Machine { get; init; }
    public required IpcOptions Options { get; init; }
    public required string Traffic { get; init; }
    public required IReadOnlyList<PhaseResult> Phases { get; init; }
    public required string Service { get; init; }
    /// <summary>Where the audit logs (service and in-process) were written: the folder and its file system.</summary>
    public required string Storage { get; init; }
    public required int ServiceExitCode { get; init; }
    /// <summary>The service's allocations over a pause with no requests (before phase d).</summary>
    public required ServiceWindow ServiceAtRest { get; init; }
    public required string LoadAtStart { get; init; }
    public required string LoadAtEnd { get; init; }
    public required DateTime FinishedUtc { get; init; }

    private PhaseResult Phase(string id) => Phases.First(p => p.Id == id);

    public IReadOnlyList<TargetCheck> Checks()
    {
        PhaseResult a = Phase("a"), b = Phase("b"), c = Phase("c"), d = Phase("d"), e = Phase("e"), f = Phase("f");
        var checks = new List<TargetCheck>
        {
            MedianCheck("i-dotnet", ".NET IPC median ≤ in-process median + 2 × .NET echo median", d, a, b),
            MedianCheck("i-c", "C IPC median ≤ in-process median + 2 × C↔C echo median", e, a, c),
        };
        foreach (PhaseResult p in new[] { d, e, f })
        {
            double ratio = p.Latency.P99OverMedian;
            checks.Add(new TargetCheck($"ii-{p.Id}", $"{p.Name}: p99 ≤ 3 × median", ratio <= 3,
                F($"p99 {p.Latency.P99Us:F1} µs = {ratio:F2} × median {p.Latency.MedianUs:F1} µs (limit {3 * p.Latency.MedianUs:F1} µs)")));
        }
        foreach (PhaseResult p in new[] { d, e, f })
        {
            ServiceWindow? w = p.Service;
            checks.Add(w is null
                ? new TargetCheck($"iii-{p.Id}", $"{p.Name}: service managed bytes per request < 1", false, "no measurement (the phase failed)")
                : new TargetCheck($"iii-{p.Id}", $"{p.Name}: service managed bytes per request < 1", w.BytesPerRequest < 1,
                    F($"{w.BytesPerRequest:F4} B/request = {w.WindowBytes} B over {w.Requests} requests (Status cost {w.StatusCostBytes} B subtracted)")));
        }
        bool held = f.Service is { } fw && fw.Before.ConnectionsActive == IpcOptions.Connections && fw.After.ConnectionsActive == IpcOptions.Connections;
        checks.Add(new TargetCheck("iv", $"{IpcOptions.Connections} concurrent connections: 0 errors for the whole phase", f.Errors == 0 && held,
            F($"{f.Errors} errors in {f.Latency.Count} requests over {f.DurationSeconds:F1} s ({f.ThroughputPerSecond:F0} requests/s); ") +
            (f.Service is { } w4 ? F($"connections_active {w4.Before.ConnectionsActive} at the start, {w4.After.ConnectionsActive} at the end") : "connections lost")));
        return checks;
    }

    private static TargetCheck MedianCheck(string id, string target, PhaseResult ipc, PhaseResult inProcess, PhaseResult echo)
    {
        double bound = inProcess.Latency.MedianUs + 2 * echo.Latency.MedianUs;
        double m = ipc.Latency.MedianUs;
        return new TargetCheck(id, target, m <= bound,
            F($"{m:F1} µs vs {inProcess.Latency.MedianUs:F1} + 2 × {echo.Latency.MedianUs:F1} = {bound:F1} µs ({(m <= bound ? "under" : "over")} by {Math.Abs(bound - m):F1} µs)"));
    }

    public string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine(F($"## FraudEdge IPC round trip — {Machine.StartedUtc:yyyy-MM-dd HH:mm} UTC"));
        s.AppendLine();
        s.AppendLine(F($"- machine: {Machine.Cpu}, {Machine.Cores} cores; {Machine.Os}; {Machine.Runtime}"));
        s.AppendLine(F($"- load average (1/5/15 min): {LoadAtStart} at the start, {LoadAtEnd} at the end ({(FinishedUtc - Machine.StartedUtc).TotalSeconds:F0} s)"));
        s.AppendLine(F($"- service: {Service}; exit code after SIGTERM: {ServiceExitCode}"));
        s.AppendLine(F($"- service at rest (no requests, before phase d): {ServiceAtRest.WindowBytes} B allocated in {ServiceAtRest.Elapsed.TotalSeconds:F1} s beyond the Status cost of {ServiceAtRest.StatusCostBytes} B"));
        s.AppendLine(F($"- traffic: {Traffic}"));
        s.AppendLine(F($"- audit logs and sockets: {Storage}"));
        string service = Options.ServiceCpus is { } cpus
            ? F($"fraudedged started with --cpus {cpus}, echo_server and the in-process phases a/a2 pinned to the same CPUs")
            : "the service side unpinned";
        string clients = Options.ClientCpus is { } clientCpus ? F($"the clients of b–f pinned to CPUs {clientCpus}") : "the clients unpinned";
        s.AppendLine(F($"- profile {Options.Profile}; {service}; {clients}"));
        s.AppendLine(Options.Rounds > 1
            ? F($"- phases a–e (and the diagnostic a2), one request in flight: {Options.Requests} measured requests each, in {Options.Rounds} interleaved rounds of {Options.Requests / Options.Rounds} (a, a2, b, c, d, e, then again), pooled; warm-up {Options.Warmup} before a phase's first round, max(200, {Options.Warmup}/{Options.Rounds}) before the others; phase f: {IpcOptions.Connections} connections for {Options.DurationSeconds:0.#} s")
            : F($"- sequential phases a–e (and the diagnostic a2): {Options.Requests} measured requests each after {Options.Warmup} warm-up, one in flight; phase f: {IpcOptions.Connections} connections for {Options.DurationSeconds:0.#} s"));
        s.AppendLine();
        s.AppendLine("| phase | n | median µs | p99 µs | p99/median | mean µs | core median / p99 µs | errors | allocated per request |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (PhaseResult p in Phases)
        {
            string allocated = p.Service is { } w ? F($"{w.BytesPerRequest:F4} B (service)")
                : p.InProcessBytesPerCall is { } b ? F($"{b:F4} B (benchmark thread)") : "–";
            string core = p.CoreTime is { } c ? F($"{c.MedianUs:F0} / {c.P99Us:F0}") : "–";
            s.AppendLine(F($"| {p.Id}. {p.Name} | {p.Latency.Count} | {p.Latency.MedianUs:F1} | {p.Latency.P99Us:F1} | {p.Latency.P99OverMedian:F2} | {p.Latency.MeanUs:F1} | {core} | {p.Errors} | {allocated} |"));
        }
        PhaseResult f = Phase("f");
        s.AppendLine();
        s.AppendLine(F($"Phase f: {f.Latency.Count} requests in {f.DurationSeconds:F1} s = {f.ThroughputPerSecond:F0} requests/s over {f.Connections} connections."));
        s.AppendLine("core: the decision core's own time as it reports it (Decision.ElapsedMicroseconds in process, ScoreResponse elapsed_us from the service; in f it includes waiting for the engine's lock).");
        s.AppendLine();
        s.AppendLine("Protocol's own cost (medians of this run):");
        s.AppendLine(Decomposition(".NET client", Phase("d"), Phase("a"), Phase("b")));
        s.AppendLine(Decomposition("C client", Phase("e"), Phase("a"), Phase("c")));
        s.AppendLine();
        s.AppendLine("Targets:");
        foreach (TargetCheck c in Checks()) s.AppendLine(F($"- ({c.Id}) {c.Target}: **{c.Verdict}** — {c.Detail}"));
        s.AppendLine(TailFloor());
        s.AppendLine();
        s.AppendLine("Phases:");
        foreach (PhaseResult p in Phases)
        {
            string warm = p.WarmupErrors > 0 ? F($" ({p.WarmupErrors} warm-up errors)") : "";
            s.AppendLine(F($"- {p.Id}. {p.Name}: {p.Measures}. Warm-up {p.Warmup}{warm}; min {p.Latency.MinUs:F1} µs, max {p.Latency.MaxUs:F1} µs.{(p.Note is null ? "" : " " + p.Note + ".")}"));
        }
        return s.ToString();
    }

    /// <summary>
    /// The same run's parts measured against (ii)'s own yardstick: a round trip contains a socket exchange and the
    /// engine's call (with its audit fsync), so when those alone spread wider than 3 × their median, it is the
    /// machine (wake-ups, disk flushes), not the protocol, that decides (ii).
    /// </summary>
    private string TailFloor()
    {
        PhaseResult a = Phase("a"), b = Phase("b"), c = Phase("c");
        return F($"- (ii) yardstick on this machine, same run (not a target): p99/median of the bare echo {b.Latency.P99OverMedian:F2} (.NET↔C) and {c.Latency.P99OverMedian:F2} (C↔C), of the engine in process {a.Latency.P99OverMedian:F2}") +
               (a.CoreTime is { } core ? F($" (its core alone, without the audit fsync, {core.P99OverMedian:F2})") : "") +
               ". Parts that exceed 3 here cannot make an IPC round trip that stays within it.";
    }

    private string Decomposition(string who, PhaseResult ipc, PhaseResult inProcess, PhaseResult echo)
    {
        double over = ipc.Latency.MedianUs - inProcess.Latency.MedianUs;
        string line = F($"- {who}: IPC {ipc.Latency.MedianUs:F1} µs − in-process {inProcess.Latency.MedianUs:F1} µs = {over:F1} µs = {over / echo.Latency.MedianUs:F2} × the echo ({echo.Latency.MedianUs:F1} µs)");
        if (ipc.CoreTime is { } core && inProcess.CoreTime is { } inCore)
        {
            // Medians do not subtract exactly, but the core's median is steady enough to split the round trip. The
            // core's time excludes the audit append (the fsync before the answer), which both sides pay after it.
            double restIpc = ipc.Latency.MedianUs - core.MedianUs, restInProcess = inProcess.Latency.MedianUs - inCore.MedianUs;
            double transport = restIpc - restInProcess;
            line += F($". Split: the core took {core.MedianUs:F0} µs inside the service (in process: {inCore.MedianUs:F0} µs back to back");
            if (Phases.FirstOrDefault(p => p.Id == "a2")?.CoreTime is { } gapped) line += F($", {gapped.MedianUs:F0} µs after a socket wait (a2)");
            line += F($"); the rest of the round trip (audit append; for IPC also the transport) {restIpc:F0} µs vs {restInProcess:F0} µs in process, so transport + protocol ≈ {transport:F0} µs = {transport / echo.Latency.MedianUs:F2} × the echo (budget: 2 × echo = {2 * echo.Latency.MedianUs:F0} µs)");
        }
        return line;
    }

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("benchmark", "fraudedge-ipc");
        w.WriteString("started_utc", Machine.StartedUtc.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("finished_utc", FinishedUtc.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStartObject("machine");
        w.WriteString("cpu", Machine.Cpu);
        w.WriteNumber("cores", Machine.Cores);
        w.WriteString("os", Machine.Os);
        w.WriteString("runtime", Machine.Runtime);
        w.WriteString("load_average_start", LoadAtStart);
        w.WriteString("load_average_end", LoadAtEnd);
        w.WriteEndObject();
        w.WriteStartObject("options");
        w.WriteNumber("requests", Options.Requests);
        w.WriteNumber("warmup", Options.Warmup);
        w.WriteNumber("duration_s", Options.DurationSeconds);
        w.WriteBoolean("quick", Options.Quick);
        w.WriteString("profile", Options.Profile);
        if (Options.ServiceCpus is { } cpus) w.WriteString("service_cpus", cpus);
        if (Options.ClientCpus is { } clientCpus) w.WriteString("client_cpus", clientCpus);
        w.WriteNumber("rounds", Options.Rounds);
        w.WriteNumber("connections", IpcOptions.Connections);
        w.WriteEndObject();
        w.WriteString("traffic", Traffic);
        w.WriteString("service", Service);
        w.WriteString("storage", Storage);
        w.WriteNumber("service_exit_code", ServiceExitCode);
        w.WriteStartObject("service_at_rest");
        w.WriteNumber("seconds", Math.Round(ServiceAtRest.Elapsed.TotalSeconds, 3));
        w.WriteNumber("window_bytes", ServiceAtRest.WindowBytes);
        w.WriteNumber("status_cost_bytes", ServiceAtRest.StatusCostBytes);
        w.WriteEndObject();
        w.WriteStartArray("phases");
        foreach (PhaseResult p in Phases)
        {
            w.WriteStartObject();
            w.WriteString("id", p.Id);
            w.WriteString("name", p.Name);
            w.WriteString("measures", p.Measures);
            w.WriteNumber("n", p.Latency.Count);
            w.WriteNumber("warmup", p.Warmup);
            w.WriteNumber("median_us", Math.Round(p.Latency.MedianUs, 3));
            w.WriteNumber("p99_us", Math.Round(p.Latency.P99Us, 3));
            w.WriteNumber("p99_over_median", Math.Round(p.Latency.P99OverMedian, 4));
            w.WriteNumber("mean_us", Math.Round(p.Latency.MeanUs, 3));
            w.WriteNumber("min_us", Math.Round(p.Latency.MinUs, 3));
            w.WriteNumber("max_us", Math.Round(p.Latency.MaxUs, 3));
            w.WriteNumber("errors", p.Errors);
            w.WriteNumber("warmup_errors", p.WarmupErrors);
            w.WriteNumber("connections", p.Connections);
            if (p.DurationSeconds is { } seconds) w.WriteNumber("duration_s", Math.Round(seconds, 3));
            if (p.ThroughputPerSecond is { } rate) w.WriteNumber("throughput_per_s", Math.Round(rate, 1));
            if (p.InProcessBytesPerCall is { } bytes) w.WriteNumber("in_process_bytes_per_call", bytes);
            if (p.CoreTime is { } coreTime)
            {
                w.WriteNumber("core_median_us", coreTime.MedianUs);
                w.WriteNumber("core_p99_us", coreTime.P99Us);
            }
            if (p.Service is { } window)
            {
                w.WriteNumber("service_bytes_per_request", window.BytesPerRequest);
                w.WriteNumber("service_window_bytes", window.WindowBytes);
                w.WriteNumber("service_status_cost_bytes", window.StatusCostBytes);
                w.WriteNumber("service_decisions", window.Decisions);
                w.WriteNumber("service_fallbacks", window.Fallbacks);
                w.WriteNumber("service_deadline_misses", window.DeadlineMisses);
                w.WriteNumber("service_rejected", window.Rejected);
                w.WriteNumber("service_connections_active_start", window.Before.ConnectionsActive);
                w.WriteNumber("service_connections_active_end", window.After.ConnectionsActive);
            }
            if (p.Note is not null) w.WriteString("note", p.Note);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("checks");
        foreach (TargetCheck c in Checks())
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("target", c.Target);
            w.WriteString("verdict", c.Verdict);
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("tail_yardstick");
        w.WriteNumber("echo_dotnet_p99_over_median", Math.Round(Phase("b").Latency.P99OverMedian, 4));
        w.WriteNumber("echo_c_p99_over_median", Math.Round(Phase("c").Latency.P99OverMedian, 4));
        w.WriteNumber("in_process_p99_over_median", Math.Round(Phase("a").Latency.P99OverMedian, 4));
        if (Phase("a").CoreTime is { } core) w.WriteNumber("in_process_core_p99_over_median", Math.Round(core.P99OverMedian, 4));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
