using System.Globalization;
using FraudEdge.Client;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// <c>FraudEdge.Bench ipc-gc [--service-binary PATH] [--rounds R] [--requests N]</c>: where the service's stray bytes in
/// phase d come from. fraudedged (the JIT build, or a NativeAOT publish) serves R rounds of N ScoreRequests over
/// one connection, each round inside a Status window as phase d measures it (ServiceWindow: the Status cost taken
/// just before); a second connection reads Status. Each round prints the bytes the service allocated beyond its
/// Status calls and whether a garbage collection happened in it (the managed heap shrank: the Status calls
/// themselves allocate ~16 KB each, so collections come every few rounds). Then 400 Status calls alone, for the
/// same with no request in between. bench/README.md, "Session 7".
/// </summary>
internal static class AllocationAfterGc
{
    public static int Run(string[] args)
    {
        string? binary = null;
        int rounds = 30, requests = 1000;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--service-binary": binary = Path.GetFullPath(args[i + 1]); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        IpcTraffic traffic = IpcTraffic.Generate();
        string work = Directory.CreateTempSubdirectory("fraudedge-ipc-gc-").FullName;
        try
        {
            string socket = Path.Combine(work, "fraudedged.sock");
            using var service = ServiceHost.Start(socket, IpcOptions.DefaultProfile, nativeBinary: binary,
                memoryBudgetMib: binary is null ? ServiceHost.JitMemoryBudgetMib : null);
            using (var status = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = socket }))
            using (var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = socket }))
            {
                Console.WriteLine($"fraudedged {(binary ?? "fraudedged.dll (JIT)")}: {rounds} rounds of {requests} ScoreRequests, a Status window around each");
                long k = 0;
                for (int i = 0; i < 500; i++) client.Score(traffic.Request(k++)); // warm-up: first rents, first calls
                ulong heap = status.GetStatus().ManagedHeapBytes;
                long withGc = 0, withoutGc = 0, roundsWithGc = 0;
                for (int r = 0; r < rounds; r++)
                {
                    ServiceWindow window = ServiceWindow.Open(status.GetStatus);
                    for (int i = 0; i < requests; i++) client.Score(traffic.Request(k++));
                    window.Close(requests);
                    bool collected = window.After.ManagedHeapBytes < heap;
                    heap = window.After.ManagedHeapBytes;
                    if (collected) { withGc += window.WindowBytes; roundsWithGc++; }
                    else withoutGc += window.WindowBytes;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {r + 1,3}: {window.WindowBytes,7} B beyond the Status cost of {window.StatusCostBytes} B{(collected ? "  (a GC in this round)" : "")}"));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"rounds with a GC: {roundsWithGc}, {withGc} B in all; rounds without: {rounds - roundsWithGc}, {withoutGc} B in all"));

                StatusResponse s = status.GetStatus();
                long previous = (long)s.AllocatedBytes, minimum = long.MaxValue, maximum = 0, collections = 0;
                heap = s.ManagedHeapBytes;
                for (int i = 0; i < 400; i++)
                {
                    s = status.GetStatus();
                    long d = (long)s.AllocatedBytes - previous;
                    previous = (long)s.AllocatedBytes;
                    if (s.ManagedHeapBytes < heap) collections++;
                    heap = s.ManagedHeapBytes;
                    minimum = Math.Min(minimum, d);
                    maximum = Math.Max(maximum, d);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"400 Status calls alone: {minimum}..{maximum} B each, {collections} GCs among them"));
            }
            return service.Stop() == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }
}
