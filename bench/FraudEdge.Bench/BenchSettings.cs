using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Bench;

/// <summary>
/// Which model, key and hardware profile the benchmarks use. BenchmarkDotNet runs each benchmark in a child
/// process, so the choice travels in environment variables that Program sets from its own arguments:
/// FE_BENCH_MODEL (bundle folder), FE_BENCH_KEY (PEM public key trusted for it), FE_BENCH_PROFILE (embedded
/// profile name or JSON path). Default: the shipped bundle models/fraudedge-slm when it exists (trusted with
/// keys/test/fraudedge-test-signing.pub.pem), otherwise the TEST fixture bundle of FraudEdge.Core.Tests.
/// </summary>
public static class BenchSettings
{
    public const string ModelVariable = "FE_BENCH_MODEL";
    public const string KeyVariable = "FE_BENCH_KEY";
    public const string ProfileVariable = "FE_BENCH_PROFILE";

    public static string ModelDirectory => Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } m ? m : DefaultModel().Directory;

    public static string KeyFile => Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } k ? k : DefaultModel().Key;

    public static string ProfileName => Environment.GetEnvironmentVariable(ProfileVariable) is { Length: > 0 } p ? p : HardwareProfiles.DefaultName;

    public static HardwareProfile Profile => HardwareProfiles.Resolve(ProfileName);

    public static TrustedKeys TrustedKeys() => Core.Bundles.TrustedKeys.FromPemFiles([KeyFile]);

    public static (string Directory, string Key) DefaultModel()
    {
        string root = RepoRoot();
        string shipped = Path.Combine(root, "models", "fraudedge-slm");
        string shippedKey = Path.Combine(root, "keys", "test", "fraudedge-test-signing.pub.pem");
        if (File.Exists(Path.Combine(shipped, "manifest.json")) && File.Exists(shippedKey)) return (shipped, shippedKey);
        string fixtures = Path.Combine(root, "tests", "FraudEdge.Core.Tests", "Fixtures");
        return (Path.Combine(fixtures, "bundle"), Path.Combine(fixtures, "fixture-signing.TEST.pub.pem"));
    }

    /// <summary>The folder holding FraudEdge.sln, found upwards from the working folder or the binaries
    /// (BenchmarkDotNet's child processes run from a generated folder below bench/).</summary>
    public static string RepoRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("run the benchmarks from inside the FraudEdge repository (no FraudEdge.sln found upwards)");
    }
}
