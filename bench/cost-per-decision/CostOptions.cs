using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FraudEdge.CostPerDecision;

/// <summary>The driver's arguments. Defaults: the shipped bundle models/fraudedge-slm with the repository's TEST
/// public key, profile entry-a53, no audit log.</summary>
public sealed class CostOptions
{
    /// <summary>Decisions before the measured window (history tables fill; ORT's first runs are behind us).</summary>
    public int Warmup { get; private set; }

    /// <summary>Decisions in the measured window.</summary>
    public int Decisions { get; private set; }

    public string ModelDirectory { get; private set; } = "";

    public string KeyFile { get; private set; } = "";

    public string Profile { get; private set; } = "entry-a53";

    /// <summary>Audit folder (fresh); null = no audit log, the default of the measurement.</summary>
    public string? AuditDirectory { get; private set; }

    /// <summary>
    /// The scorer's per-run deadline for this run. Valgrind runs the code ~50-100× slower, so the profile's 20 ms
    /// would terminate runs and turn decisions into rules fallbacks; 5 s (the profile schema's maximum) never trips
    /// and keeps the deadline watchdog armed and disarmed on every decision, exactly as in production.
    /// </summary>
    public int DeadlineMicroseconds { get; private set; } = 5_000_000;

    public static bool TryParse(ReadOnlySpan<string> args, [NotNullWhen(true)] out CostOptions? options, [NotNullWhen(false)] out string? error)
    {
        var o = new CostOptions();
        options = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return false;
            }
            string value = args[++i];
            switch (args[i - 1])
            {
                case "--warmup" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w >= 0: o.Warmup = w; break;
                case "--decisions" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 0: o.Decisions = n; break;
                case "--model": o.ModelDirectory = Path.GetFullPath(value); break;
                case "--key": o.KeyFile = Path.GetFullPath(value); break;
                case "--profile": o.Profile = value; break;
                case "--audit": o.AuditDirectory = Path.GetFullPath(value); break;
                case "--deadline-us" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int us) && us is >= 100 and <= 5_000_000:
                    o.DeadlineMicroseconds = us;
                    break;
                default:
                    error = $"unknown option or bad value: {args[i - 1]} {value}";
                    return false;
            }
        }
        if (o.ModelDirectory.Length == 0 || o.KeyFile.Length == 0)
        {
            string root = RepoRoot();
            if (o.ModelDirectory.Length == 0) o.ModelDirectory = Path.Combine(root, "models", "fraudedge-slm");
            if (o.KeyFile.Length == 0) o.KeyFile = Path.Combine(root, "keys", "test", "fraudedge-test-signing.pub.pem");
        }
        options = o;
        error = null;
        return true;
    }

    /// <summary>The folder holding FraudEdge.sln, upwards from the working folder or the binary.</summary>
    private static string RepoRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("run inside the FraudEdge repository or pass --model DIR --key PEM");
    }
}
