using System.Globalization;

namespace FraudEdge.Bench.Ipc;

/// <summary>
/// Arguments of <c>FraudEdge.Bench ipc</c>:
/// <c>[--requests N] [--warmup N] [--duration-s S] [--quick] [--rounds R] [--profile NAME] [--service-cpus LIST] [--client-cpus LIST]
/// [--work-dir DIR] [--service-binary PATH] [--native-dir DIR] [--json FILE]</c>.
/// Defaults: 20,000 measured requests per sequential phase, 20 s for the 4-connection phase; <c>--quick</c>
/// makes them 2,000 and 3 s (an explicit --requests / --duration-s still wins, in any order).
/// </summary>
internal sealed record IpcOptions
{
    public const string Usage =
        "usage: FraudEdge.Bench ipc [--requests N] [--warmup N] [--duration-s S] [--quick] [--rounds R] [--profile NAME]\n" +
        "                            [--service-cpus LIST] [--client-cpus LIST] [--work-dir DIR]\n" +
        "                            [--service-binary PATH] [--native-dir DIR] [--json FILE]\n" +
        "  --requests N    measured requests per sequential phase (default 20000; --quick 2000)\n" +
        "  --warmup N      unmeasured requests before each phase (default max(500, requests/4); later rounds\n" +
        "                  max(200, N/rounds))\n" +
        "  --rounds R      phases a-e take turns in R rounds of requests/R each, pooled (default 10; --quick 2)\n" +
        "  --duration-s S  length of the 4-connection phase (default 20; --quick 3)\n" +
        "  --profile NAME  embedded hardware profile of the service and the in-process engine (default entry-a53;\n" +
        "                  its max_connections must allow phase f's 4 and a Status connection)\n" +
        "  --service-cpus LIST  start fraudedged with --cpus LIST (e.g. the CPU that takes the disk's interrupt); the\n" +
        "                  echo server and the in-process phases run there too\n" +
        "  --client-cpus LIST   run the clients of phases b-f (.NET threads, fe_ipc_bench) on these CPUs\n" +
        "  --work-dir DIR  where the sockets and both audit logs go (default the temp folder): on a device, a folder on\n" +
        "                  the storage the service's audit log will really use (/tmp may be tmpfs: no fsync cost)\n" +
        "  --service-binary PATH  run this fraudedged executable (a NativeAOT publish) instead of the JIT\n" +
        "                  fraudedged.dll next to the benchmark; it keeps the profile's memory budget\n" +
        "  --native-dir DIR  prebuilt echo_server and fe_ipc_bench (scripts/device-bench-kit.sh) instead of make -C bench/ipc\n" +
        "  --json FILE     also write the results as JSON";

    /// <summary>The service's default profile; the in-process engine uses the same.</summary>
    public const string DefaultProfile = "entry-a53";

    /// <summary>Concurrent connections of phase f: entry-a53's service.max_connections.</summary>
    public const int Connections = 4;

    public int Requests { get; init; } = 20_000;
    public int Warmup { get; init; }
    public double DurationSeconds { get; init; } = 20;
    public bool Quick { get; init; }
    public string? JsonPath { get; init; }
    public string Profile { get; init; } = DefaultProfile;
    public string? ServiceCpus { get; init; }
    public string? ClientCpus { get; init; }
    public string? WorkDirectory { get; init; }
    public string? ServiceBinary { get; init; }
    public string? NativeDirectory { get; init; }

    /// <summary>Phases a–e run in this many interleaved rounds of Requests / Rounds each (default 10; --quick 2).</summary>
    public int Rounds { get; init; } = 10;

    public static bool TryParse(string[] args, out IpcOptions options, out string? error)
    {
        options = new IpcOptions();
        error = null;
        int? requests = null, warmup = null;
        double? duration = null;
        bool quick = false;
        string? json = null;
        string profile = DefaultProfile;
        string? cpus = null, clientCpus = null, workDirectory = null, serviceBinary = null, nativeDirectory = null;
        int? rounds = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--quick") { quick = true; continue; }
            if (i + 1 >= args.Length) { error = $"unknown argument or missing value: {arg}"; return false; }
            string value = args[++i];
            switch (arg)
            {
                case "--requests" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r >= 10:
                    requests = r;
                    break;
                case "--warmup" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int w):
                    warmup = w;
                    break;
                case "--duration-s" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && s <= 3600:
                    duration = s;
                    break;
                case "--rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1:
                    rounds = k;
                    break;
                case "--service-cpus" when FraudEdge.Service.Placement.CpuAffinity.TryParse(value, out _) is not null:
                    cpus = value;
                    break;
                case "--client-cpus" when FraudEdge.Service.Placement.CpuAffinity.TryParse(value, out _) is not null:
                    clientCpus = value;
                    break;
                case "--profile":
                    profile = value;
                    break;
                case "--json":
                    json = Path.GetFullPath(value);
                    break;
                case "--work-dir" when Directory.Exists(value):
                    workDirectory = Path.GetFullPath(value);
                    break;
                case "--service-binary" when File.Exists(value):
                    serviceBinary = Path.GetFullPath(value);
                    break;
                case "--native-dir" when Directory.Exists(value):
                    nativeDirectory = Path.GetFullPath(value);
                    break;
                default:
                    error = $"bad argument: {arg} {value}";
                    return false;
            }
        }
        int n = requests ?? (quick ? 2_000 : 20_000);
        options = new IpcOptions
        {
            Requests = n,
            Warmup = warmup ?? Math.Max(500, n / 4),
            DurationSeconds = duration ?? (quick ? 3 : 20),
            Quick = quick,
            JsonPath = json,
            Profile = profile,
            ServiceCpus = cpus,
            ClientCpus = clientCpus,
            WorkDirectory = workDirectory,
            ServiceBinary = serviceBinary,
            NativeDirectory = nativeDirectory,
            Rounds = rounds ?? (quick ? 2 : 10),
        };
        if (options.Requests / options.Rounds < 10)
        {
            error = $"--rounds {options.Rounds} leaves fewer than 10 measured requests per round";
            return false;
        }
        return true;
    }
}
