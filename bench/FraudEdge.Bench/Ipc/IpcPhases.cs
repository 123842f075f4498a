using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using FraudEdge.Client;
using FraudEdge.Core;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// The six phases of <c>FraudEdge.Bench ipc</c> and the diagnostic a2. Each has its own warm-up; a..e keep one
/// request in flight. Every measured loop stores Stopwatch ticks into a preallocated <see cref="LatencyLog"/> and
/// calls the sync APIs (the async path would add thread-pool hops to what is measured), so the loops themselves
/// allocate nothing.
/// <para>
/// Traffic positions (<see cref="IpcTraffic"/>): the service sees one forward-moving stream — d takes
/// [0, W+N), e the next W+N, f continues from there — and the in-process engine (a) replays d's range on its own
/// history. Each echo phase sends frames of exactly the sizes of the IPC phase it is the floor for: b the frames
/// of d's range, c the C encoder's frames of e's range (the same requests file).
/// </para>
/// </summary>
internal sealed class IpcPhases(IpcOptions options, IpcTraffic traffic, string workDirectory, long serviceStart = 0, string tag = "")
{
    private readonly long _start = serviceStart;
    private long _serviceNext = serviceStart;

    /// <summary>The next position of the service's stream after the phases run so far (the next round starts there).</summary>
    public long ServiceNext => _serviceNext;

    private int W => options.Warmup;

    private int N => options.Requests;

    /// <summary>
    /// With --service-cpus, the in-process phases run on the CPUs the service is pinned to (this thread, and the
    /// engine's watchdog thread, created after it): the comparison stays engine against engine on the same CPUs.
    /// </summary>
    internal IDisposable? PinLikeTheService() => Pin(options.ServiceCpus);

    /// <summary>
    /// With --client-cpus, the client side of phases b–f runs on those CPUs: this thread, the threads it starts (f's
    /// workers) and the C processes it forks (fe_ipc_bench) inherit the mask.
    /// </summary>
    internal IDisposable? PinClient() => Pin(options.ClientCpus);

    internal static IDisposable? Pin(string? cpus) =>
        cpus is not null && FraudEdge.Service.Placement.CpuAffinity.TryParse(cpus, out _) is { } mask ? new ThreadPin(mask) : null;

    private sealed class ThreadPin : IDisposable
    {
        private readonly ulong _previous = FraudEdge.Service.Placement.CpuAffinity.CurrentThreadMask();

        public ThreadPin(ulong mask) => FraudEdge.Service.Placement.CpuAffinity.ApplyToCurrentThread(mask);

        public void Dispose() => FraudEdge.Service.Placement.CpuAffinity.ApplyToCurrentThread(_previous);
    }

    /// <summary>
    /// An engine configured as fraudedged configures its own: the same embedded model and profile, and an audit
    /// log with the profile's durability (entry-a53: fsync before the answer), so "in-process" and "IPC" differ
    /// only by the IPC.
    /// </summary>
    private FraudEngine EngineLikeTheService(string phase)
    {
        HardwareProfile profile = HardwareProfiles.LoadEmbedded(options.Profile);
        string audit = Path.Combine(workDirectory, "in-process-audit-" + phase + tag);
        return new FraudEngine(new FraudEngineOptions
        {
            Profile = profile,
            Audit = FraudEdge.Core.Audit.AuditLogOptions.FromProfile(audit, profile.Audit),
        });
    }

    /// <summary>Positions e uses (written to the requests file before c runs, since c sends the same frames).</summary>
    public long CClientStart => _start + W + N;

    /// <summary>a. FraudEngine.Evaluate in this process, same embedded model and profile as the service.</summary>
    public PhaseResult InProcess()
    {
        using var pin = PinLikeTheService();
        using var engine = EngineLikeTheService("a");
        if (engine.Model is null) throw new InvalidOperationException($"the embedded bundle was refused: {engine.ModelRefusal?.Message}");
        long k = _start, warmErrors = 0, errors = 0;
        for (int i = 0; i < W; i++)
        {
            TransactionEvent e = traffic.Event(k++);
            if (engine.Evaluate(in e).IsRejected) warmErrors++;
        }
        var log = LatencyLog.ForStopwatch(N);
        var core = LatencyLog.ForMicroseconds(N);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < N; i++)
        {
            TransactionEvent e = traffic.Event(k++);
            long t0 = Stopwatch.GetTimestamp();
            Decision d = engine.Evaluate(in e);
            long t1 = Stopwatch.GetTimestamp();
            log.Add(t1 - t0);
            core.Add(d.ElapsedMicroseconds);
            if (d.IsRejected) errors++;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        EngineStatus s = engine.Status();
        return new PhaseResult("a", "in-process", "FraudEngine.Evaluate in the benchmark process (validate, history, tokenize, ONNX score, policy)",
            LatencySummary.Of(log), errors)
        {
            Warmup = W,
            WarmupErrors = warmErrors,
            CoreTime = LatencySummary.Of(core),
            Logs = [log],
            CoreLogs = [core],
            InProcessBytesPerCall = (double)allocated / N,
            Note = string.Create(CultureInfo.InvariantCulture,
                $"model {s.ModelName} {s.ModelVersion}; {s.Decisions} decisions, {s.Fallbacks} by the rules ({s.DeadlineMisses} deadline misses)"),
        };
    }

    /// <summary>
    /// a2 (diagnostic, not a target): a's engine calls again, each after an untimed echo round trip through
    /// echo_server, so that — as in the service — the thread blocks on a socket and the core idles or runs the other
    /// process between two decisions. Compared with a's back-to-back loop it shows what the gaps alone cost the core.
    /// </summary>
    public PhaseResult InProcessBetweenEchoes(string echoSocket)
    {
        using var pin = PinLikeTheService();
        using var engine = EngineLikeTheService("a2");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(echoSocket));
        var frames = new FrameWriter();
        var buffer = new ArrayBufferWriter<byte>(512);
        byte[] back = new byte[FrameCodec.LengthPrefixBytes + ProtocolLimits.DefaultMaxFrameBytes];
        var log = LatencyLog.ForStopwatch(N);
        var core = LatencyLog.ForMicroseconds(N);
        long errors = 0, warmErrors = 0;
        for (int i = 0; i < W + N; i++)
        {
            TransactionEvent e = traffic.Event(_start + i);
            ScoreRequest r = traffic.Request(_start + i);
            buffer.ResetWrittenCount();
            frames.Write(buffer, (uint)(i + 1), in r);
            Echo(socket, buffer.WrittenSpan, back);
            long t0 = Stopwatch.GetTimestamp();
            Decision d = engine.Evaluate(in e);
            long t1 = Stopwatch.GetTimestamp();
            if (i < W)
            {
                if (d.IsRejected) warmErrors++;
                continue;
            }
            log.Add(t1 - t0);
            core.Add(d.ElapsedMicroseconds);
            if (d.IsRejected) errors++;
        }
        return new PhaseResult("a2", "in-process between echoes", "diagnostic: FraudEngine.Evaluate as in a, each call after an untimed echo round trip (the thread blocks on a socket in between, as the service's does)",
            LatencySummary.Of(log), errors) { Warmup = W, WarmupErrors = warmErrors, CoreTime = LatencySummary.Of(core), Logs = [log], CoreLogs = [core] };
    }

    /// <summary>b. A .NET Socket (blocking Send/Receive) ↔ the C echo_server, frames of d's sizes.</summary>
    public PhaseResult DotNetEcho(string echoSocket)
    {
        using var pin = PinClient();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(echoSocket));
        var frames = new FrameWriter();
        var buffer = new ArrayBufferWriter<byte>(512);
        byte[] back = new byte[FrameCodec.LengthPrefixBytes + ProtocolLimits.DefaultMaxFrameBytes];
        var log = LatencyLog.ForStopwatch(N);
        long errors = 0, warmErrors = 0;
        for (int i = 0; i < W + N; i++)
        {
            ScoreRequest r = traffic.Request(_start + i);
            buffer.ResetWrittenCount();
            frames.Write(buffer, (uint)(i + 1), in r);
            ReadOnlySpan<byte> frame = buffer.WrittenSpan;
            long t0 = Stopwatch.GetTimestamp();
            Echo(socket, frame, back);
            long t1 = Stopwatch.GetTimestamp();
            bool same = back.AsSpan(0, frame.Length).SequenceEqual(frame);
            if (i < W)
            {
                if (!same) warmErrors++;
                continue;
            }
            log.Add(t1 - t0);
            if (!same) errors++;
        }
        return new PhaseResult("b", "echo .NET↔C", "a .NET Socket sends each request's frame (same bytes as d) to the C echo_server and reads it back",
            LatencySummary.Of(log), errors) { Warmup = W, WarmupErrors = warmErrors, Logs = [log] };
    }

    private static void Echo(Socket socket, ReadOnlySpan<byte> frame, byte[] back)
    {
        int sent = 0;
        while (sent < frame.Length) sent += socket.Send(frame[sent..], SocketFlags.None);
        int received = 0;
        while (received < frame.Length)
        {
            int n = socket.Receive(back.AsSpan(received, frame.Length - received), SocketFlags.None);
            if (n == 0) throw new IOException("echo_server closed the connection");
            received += n;
        }
    }

    /// <summary>c. fe_ipc_bench --echo ↔ echo_server: C↔C, the C encoder's frames of e's requests.</summary>
    public PhaseResult CEcho(string echoSocket, string requestsFile, (ulong Fnv1a, long PayloadBytes) dotnetPayload)
    {
        using var pin = PinClient();
        NativeTools.CRun run = NativeTools.RunFeIpcBench(echoSocket, requestsFile, W, N, Path.Combine(workDirectory, "rtt-c-echo" + tag + ".txt"), echo: true);
        return new PhaseResult("c", "echo C↔C", "fe_ipc_bench --echo: blocking write/read of each frame (C encoder, e's requests) to echo_server",
            LatencySummary.Of(run.Log), run.Errors)
        {
            Warmup = W,
            WarmupErrors = run.WarmupErrors,
            Logs = [run.Log],
            Note = EncoderCheck(run, dotnetPayload),
        };
    }

    /// <summary>True when the C encoder's payloads (fe_ipc_bench's checksum) equal the .NET encoder's for the same requests.</summary>
    public static bool SameBytes(NativeTools.CRun run, (ulong Fnv1a, long PayloadBytes) dotnet) =>
        run.PayloadFnv1a == dotnet.Fnv1a && run.PayloadBytes == dotnet.PayloadBytes;

    private static string EncoderCheck(NativeTools.CRun run, (ulong Fnv1a, long PayloadBytes) dotnet) => SameBytes(run, dotnet)
        ? string.Create(CultureInfo.InvariantCulture, $"C and .NET encoders: identical payloads ({run.PayloadBytes} bytes, FNV-1a 0x{run.PayloadFnv1a:x16})")
        : string.Create(CultureInfo.InvariantCulture, $"C and .NET encoders DIFFER: C {run.PayloadBytes} bytes 0x{run.PayloadFnv1a:x16}, .NET {dotnet.PayloadBytes} bytes 0x{dotnet.Fnv1a:x16}");

    /// <summary>
    /// d. FraudEdgeClient.Score (sync) ↔ fraudedged over <paramref name="client"/>, one connection kept for every round (a
    /// connection opened and closed per round would put its set-up and tear-down into the windows of target iii);
    /// Status read over <paramref name="status"/>, another connection.
    /// </summary>
    public PhaseResult DotNetClient(FraudEdgeClient client, FraudEdgeClient status)
    {
        using var pin = PinClient();
        long k = _serviceNext;
        long warmErrors = 0, errors = 0;
        string? firstError = null;
        for (int i = 0; i < W; i++)
        {
            if (!TryScore(client, traffic.Request(k++), ref firstError, out _)) warmErrors++;
        }
        var log = LatencyLog.ForStopwatch(N);
        var core = LatencyLog.ForMicroseconds(N);
        ServiceWindow window = ServiceWindow.Open(status.GetStatus);
        for (int i = 0; i < N; i++)
        {
            ScoreRequest r = traffic.Request(k++);
            long t0 = Stopwatch.GetTimestamp();
            bool ok = TryScore(client, in r, ref firstError, out uint coreUs);
            long t1 = Stopwatch.GetTimestamp();
            log.Add(t1 - t0);
            if (ok) core.Add(coreUs);
            else errors++;
        }
        window.Close(N);
        _serviceNext = k;
        return new PhaseResult("d", "IPC .NET client", "FraudEdgeClient.Score (sync) ↔ fraudedged: encode, send, service decodes + decides + encodes, receive, decode",
            LatencySummary.Of(log), errors)
        {
            Warmup = W,
            WarmupErrors = warmErrors,
            CoreTime = LatencySummary.Of(core),
            Logs = [log],
            CoreLogs = [core],
            Service = window,
            Note = ServiceNote(window, firstError),
        };
    }

    /// <summary>e. fe_ipc_bench (clients/c: fe_open, fe_score) ↔ fraudedged; Status read while its connection is open.</summary>
    public PhaseResult CClient(string serviceSocket, FraudEdgeClient status, string requestsFile, (ulong Fnv1a, long PayloadBytes) dotnetPayload)
    {
        using var pin = PinClient();
        if (_serviceNext != CClientStart) throw new InvalidOperationException("phase e must follow phase d on the service's stream");
        ServiceWindow? window = null;
        NativeTools.CRun run = NativeTools.RunFeIpcBench(serviceSocket, requestsFile, W, N, Path.Combine(workDirectory, "rtt-c-client" + tag + ".txt"), echo: false,
            atWarm: () => window = ServiceWindow.Open(status.GetStatus),
            atDone: () => window!.Close(N));
        _serviceNext += W + N;
        return new PhaseResult("e", "IPC C client", "fe_ipc_bench: fe_score (clients/c) ↔ fraudedged, the same requests as the .NET client sends",
            LatencySummary.Of(run.Log), run.Errors)
        {
            Warmup = W,
            WarmupErrors = run.WarmupErrors,
            CoreTime = run.CoreLog is null ? null : LatencySummary.Of(run.CoreLog),
            Logs = [run.Log],
            CoreLogs = run.CoreLog is null ? [] : [run.CoreLog],
            Service = window,
            Note = ServiceNote(window!, null) + "; " + EncoderCheck(run, dotnetPayload),
        };
    }

    /// <summary>
    /// f. <see cref="IpcOptions.Connections"/> FraudEdgeClients on as many threads for the whole phase. entry-a53 serves
    /// exactly 4 connections, so Status is read over worker 0's connection while every worker waits (before the start
    /// signal, after the last request), never during the measured time.
    /// </summary>
    public PhaseResult Concurrent(string serviceSocket)
    {
        using var pin = PinClient();
        const int n = IpcOptions.Connections;
        int warm = Math.Max(200, W / n);
        int capacity = (int)Math.Min(20_000_000, options.DurationSeconds * 20_000 + 1_000);
        var clients = new FraudEdgeClient[n];
        var logs = new LatencyLog[n];
        var cores = new LatencyLog[n];
        var errors = new long[n];
        var warmErrors = new long[n];
        var failures = new Exception?[n];
        for (int t = 0; t < n; t++)
        {
            clients[t] = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = serviceSocket });
            logs[t] = LatencyLog.ForStopwatch(capacity);
            cores[t] = LatencyLog.ForMicroseconds(capacity);
        }
        var shared = new ConcurrentState(_serviceNext);
        using var ready = new CountdownEvent(n);
        using var go = new ManualResetEventSlim();
        var threads = new Thread[n];
        for (int t = 0; t < n; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                bool signalled = false;
                try
                {
                    FraudEdgeClient client = clients[index];
                    ConnectWithRetry(client);
                    for (int i = 0; i < warm; i++)
                    {
                        if (!TryScore(client, traffic.Request(shared.Take()), ref shared.FirstError, out _)) warmErrors[index]++;
                    }
                    ready.Signal();
                    signalled = true;
                    go.Wait();
                    errors[index] = Measure(client, logs[index], cores[index], shared);
                }
                catch (Exception e) when (e is FraudEdgeClientException or SocketException or IOException or InvalidOperationException or TimeoutException)
                {
                    failures[index] = e;
                }
                finally
                {
                    if (!signalled) ready.Signal();
                }
            })
            { IsBackground = true, Name = $"ipc-bench-{index}" };
            threads[t].Start();
        }
        if (!ready.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException("the 4 connections did not finish their warm-up within 5 minutes");
        if (failures.FirstOrDefault(f => f is not null) is { } failed) throw new InvalidOperationException($"a connection failed before the phase: {failed.Message}", failed);

        ServiceWindow window = ServiceWindow.Open(clients[0].GetStatus);
        var clock = Stopwatch.StartNew();
        go.Set();
        Thread.Sleep(TimeSpan.FromSeconds(options.DurationSeconds));
        shared.Stop();
        foreach (Thread thread in threads) thread.Join();
        double elapsed = clock.Elapsed.TotalSeconds;
        long requests = 0, dropped = 0;
        foreach (LatencyLog log in logs)
        {
            requests += log.Count + log.Dropped;
            dropped += log.Dropped;
        }
        long failedThreads = failures.Count(f => f is not null);
        if (failedThreads == 0) window.Close(requests);
        _serviceNext = shared.Next;
        foreach (FraudEdgeClient c in clients) c.Dispose();

        string connections = failedThreads == 0
            ? string.Create(CultureInfo.InvariantCulture, $"connections_active {window.Before.ConnectionsActive} at the start, {window.After.ConnectionsActive} at the end")
            : $"{failedThreads} connection(s) died: {failures.First(f => f is not null)!.Message}";
        string note = string.Join("; ", new[]
        {
            failedThreads == 0 ? ServiceNote(window, shared.FirstError) : shared.FirstError,
            connections,
            dropped > 0 ? $"{dropped} round trips not kept (log full)" : null,
        }.Where(s => s is not null));
        return new PhaseResult("f", "IPC 4 connections", $"{n} FraudEdgeClients (sync Score) on {n} threads ↔ fraudedged for {options.DurationSeconds:0.#} s, one request in flight per connection",
            LatencySummary.Of(logs), errors.Sum() + failedThreads)
        {
            Warmup = warm * n,
            WarmupErrors = warmErrors.Sum(),
            CoreTime = LatencySummary.Of(cores),
            Service = failedThreads == 0 ? window : null,
            Connections = n,
            DurationSeconds = elapsed,
            ThroughputPerSecond = requests / elapsed,
            Note = note,
        };
    }

    /// <summary>The measured loop of one phase-f worker: until stopped; returns its error count.</summary>
    private long Measure(FraudEdgeClient client, LatencyLog log, LatencyLog core, ConcurrentState shared)
    {
        long errors = 0;
        while (!shared.Stopped)
        {
            ScoreRequest r = traffic.Request(shared.Take());
            long t0 = Stopwatch.GetTimestamp();
            bool ok = TryScore(client, in r, ref shared.FirstError, out uint coreUs);
            long t1 = Stopwatch.GetTimestamp();
            log.Add(t1 - t0);
            if (ok) core.Add(coreUs);
            else errors++;
        }
        return errors;
    }

    /// <summary>Phase f's shared stream position, stop flag and first error.</summary>
    private sealed class ConcurrentState(long start)
    {
        private long _next = start;
        private volatile bool _stopped;
        public string? FirstError;

        public long Next => Volatile.Read(ref _next);

        public bool Stopped => _stopped;

        public long Take() => Interlocked.Increment(ref _next) - 1;

        public void Stop() => _stopped = true;
    }

    /// <summary>
    /// One Score; false for a refusal or any client exception (counted as an error by the caller). Allocates only
    /// when something failed (the first message is kept). <paramref name="coreUs"/>: the decision core's own time
    /// in the service (ScoreResponse elapsed_us).
    /// </summary>
    private static bool TryScore(FraudEdgeClient client, in ScoreRequest request, ref string? firstError, out uint coreUs)
    {
        coreUs = 0;
        try
        {
            ScoreResult result = client.Score(in request);
            if (result.TryGetResponse(out ScoreResponse response))
            {
                coreUs = response.ElapsedMicroseconds;
                return true;
            }
            Interlocked.CompareExchange(ref firstError, $"refused: {result.Error.Code} {result.Error.Field} {result.Error.Message}", null);
            return false;
        }
        catch (Exception e) when (e is FraudEdgeClientException or SocketException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
            return false;
        }
    }

    /// <summary>
    /// The status client was closed just before phase f: until the service has seen that close it still counts the
    /// connection against max_connections and refuses a new one with ServerBusy. Ping (idempotent) until served.
    /// </summary>
    private static void ConnectWithRetry(FraudEdgeClient client)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                client.Ping();
                return;
            }
            catch (FraudEdgeClientException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }
        }
    }

    private static string ServiceNote(ServiceWindow window, string? firstError)
    {
        string s = string.Create(CultureInfo.InvariantCulture,
            $"service: {window.Decisions} decisions, {window.Fallbacks} by the rules ({window.DeadlineMisses} deadline misses), {window.Rejected} rejected; " +
            $"{window.WindowBytes} B allocated in the {window.Elapsed.TotalSeconds:F1} s window beyond the Status cost of {window.StatusCostBytes} B");
        return firstError is null ? s : s + "; first error: " + firstError;
    }
}
