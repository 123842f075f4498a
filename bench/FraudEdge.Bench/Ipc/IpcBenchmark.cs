using FraudEdge.Client;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// <c>dotnet run -c Release --project bench/FraudEdge.Bench -- ipc [--requests N] [--warmup N] [--duration-s S] [--quick] [--json FILE]</c>
/// <para>
/// The IPC round trip next to what it is made of, all measured in one run on one machine: (a) the engine in
/// process, (b, c) a bare echo of the same frames over the same kind of socket (.NET↔C and C↔C) — the transport
/// floor — then (d) the .NET client and (e) the C client against the real fraudedged, and (f) 4 concurrent
/// connections. A diagnostic phase a2 (no target) times the engine again with a socket wait before each call, as
/// the service's engine runs. Prints a markdown table and the issue's targets as PASS / MISSED; bench/README.md explains them.
/// </para>
/// Exit code: 0 when every phase ran and fraudedged stopped with 0 on SIGTERM (whatever the timings: targets are
/// reported, not enforced); 1 when the run broke; 2 for bad arguments.
/// </summary>
public static class IpcBenchmark
{
    public static int Run(string[] args)
    {
        if (!IpcOptions.TryParse(args, out IpcOptions options, out string? error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(IpcOptions.Usage);
            return 2;
        }
        try
        {
            return Execute(options);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or FraudEdgeClientException
                                      or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"ipc benchmark failed: {e}");
            return 1;
        }
    }

    private static int Execute(IpcOptions options)
    {
        MachineInfo machine = MachineInfo.Read();
        string loadAtStart = MachineInfo.LoadAverage();
        Progress($"machine: {machine.Cpu}, {machine.Cores} cores, {machine.Runtime}; load average {loadAtStart}");

        if (options.NativeDirectory is { } native)
        {
            NativeTools.UsePrebuilt(native);
            Progress($"prebuilt echo_server and fe_ipc_bench from {native}");
        }
        else
        {
            Progress("make -C bench/ipc (echo_server, fe_ipc_bench, clients/c library)");
            NativeTools.Build();
        }

        Progress("generating traffic (simulator)");
        IpcTraffic traffic = IpcTraffic.Generate();
        Progress(traffic.Description);

        string work = options.WorkDirectory is { } root
            ? Directory.CreateDirectory(Path.Combine(root, $"fraudedge-ipc-bench-{Environment.ProcessId}")).FullName
            : Directory.CreateTempSubdirectory("fraudedge-ipc-bench-").FullName;
        string storage = MachineInfo.FileSystemOf(work);
        Progress($"sockets and audit logs in {work} ({storage})");
        try
        {
            int rounds = options.Rounds, perRound = options.Requests / options.Rounds;
            Progress($"starting {options.ServiceBinary ?? "fraudedged.dll"} (profile {options.Profile}, embedded model{(options.ServiceCpus is { } c ? ", --cpus " + c : "")})");
            // A NativeAOT binary keeps the profile's memory budget, as on a terminal; the JIT build needs more room.
            using var service = ServiceHost.Start(Path.Combine(work, "fraudedged.sock"), options.Profile, nativeBinary: options.ServiceBinary,
                memoryBudgetMib: options.ServiceBinary is null ? ServiceHost.JitMemoryBudgetMib : null, cpus: options.ServiceCpus);
            string echoSocket = Path.Combine(work, "echo.sock");
            ChildProcess echoProcess;
            using (IpcPhases.Pin(options.ServiceCpus)) echoProcess = NativeTools.StartEchoServer(echoSocket); // forked: inherits the mask
            using var echo = echoProcess;
            var results = new List<PhaseResult>();
            string serviceDescription;
            ServiceWindow idle;
            int exitCode;
            try
            {
                using (var status = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath }))
                using (var dotnetClient = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath }))
                {
                    StatusResponse s = status.GetStatus();
                    serviceDescription = $"fraudedged {s.ServiceVersion}, profile {s.Profile}, model {s.ModelName ?? "none (rules)"} {s.ModelVersion}";
                    // What the service allocates with no request at all (timers, logging): the floor under every window.
                    idle = ServiceWindow.Open(status.GetStatus);
                    Thread.Sleep(TimeSpan.FromSeconds(options.Quick ? 0.5 : 2));
                    idle.Close(0);
                    Progress($"service at rest: {idle.WindowBytes} B allocated in {idle.Elapsed.TotalSeconds:F1} s beyond the Status cost of {idle.StatusCostBytes} B");

                    // Phases a–e take turns, round after round, so each samples the same states of the machine (a shared
                    // VM changes speed on the scale of a phase); a round's phases run back to back, in the order below.
                    var byPhase = new List<PhaseResult>[6];
                    for (int p = 0; p < byPhase.Length; p++) byPhase[p] = [];
                    long next = 0;
                    for (int r = 0; r < rounds; r++)
                    {
                        int w = r == 0 ? options.Warmup : Math.Min(options.Warmup, Math.Max(200, options.Warmup / rounds));
                        string tag = rounds > 1 ? $"-r{r}" : "";
                        var phases = new IpcPhases(options with { Requests = perRound, Warmup = w }, traffic, work, next, tag);
                        // e's requests, for the C client and (same frames) the C↔C echo; the .NET encoder's checksum of the
                        // measured part, to compare with the C encoder's.
                        string requestsFile = Path.Combine(work, $"requests{tag}.txt");
                        traffic.WriteRequestsFile(requestsFile, phases.CClientStart, w + perRound);
                        (ulong, long) dotnetPayload = traffic.PayloadChecksum(phases.CClientStart + w, perRound);
                        if (rounds > 1) Progress($"round {r + 1} of {rounds}: {perRound} measured requests per phase after {w} warm-up");
                        byPhase[0].Add(Report(phases.InProcess()));
                        byPhase[1].Add(Report(phases.InProcessBetweenEchoes(echoSocket)));
                        byPhase[2].Add(Report(phases.DotNetEcho(echoSocket)));
                        byPhase[3].Add(Report(phases.CEcho(echoSocket, requestsFile, dotnetPayload)));
                        byPhase[4].Add(Report(phases.DotNetClient(dotnetClient, status)));
                        byPhase[5].Add(Report(phases.CClient(service.SocketPath, status, requestsFile, dotnetPayload)));
                        next = phases.ServiceNext;
                    }
                    foreach (List<PhaseResult> phase in byPhase) results.Add(rounds == 1 ? phase[0] : PhaseResult.Pool(phase));
                    // entry-a53 serves 4 connections: give the service a moment to see the status connection close.
                    status.Dispose();
                    dotnetClient.Dispose();
                    Thread.Sleep(200);
                    results.Add(Report(new IpcPhases(options, traffic, work, next, "-f").Concurrent(service.SocketPath)));
                }
            }
            finally
            {
                echo.Stop(TimeSpan.FromSeconds(5));
                exitCode = service.Stop();
            }
            if (exitCode != 0) Console.Error.WriteLine($"fraudedged exited with {exitCode} after SIGTERM:\n{service.Output}");

            var report = new IpcReport
            {
                Machine = machine,
                Options = options,
                Traffic = traffic.Description,
                Phases = results,
                Service = serviceDescription + (options.ServiceBinary is { } b ? $" ({b})" : " (JIT build, fraudedged.dll)"),
                Storage = $"{work} on {storage}",
                ServiceExitCode = exitCode,
                ServiceAtRest = idle,
                LoadAtStart = loadAtStart,
                LoadAtEnd = MachineInfo.LoadAverage(),
                FinishedUtc = DateTime.UtcNow,
            };
            Console.WriteLine();
            Console.WriteLine(report.Markdown());
            if (options.JsonPath is { } json)
            {
                report.WriteJson(json);
                Console.WriteLine($"JSON: {json}");
            }
            return exitCode == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private static PhaseResult Report(PhaseResult p)
    {
        Progress($"phase {p.Id}. {p.Name}: n={p.Latency.Count} median {p.Latency.MedianUs:F1} µs p99 {p.Latency.P99Us:F1} µs errors {p.Errors}");
        return p;
    }

    private static void Progress(string line) => Console.WriteLine($"// {DateTime.UtcNow:HH:mm:ss} {line}");
}
