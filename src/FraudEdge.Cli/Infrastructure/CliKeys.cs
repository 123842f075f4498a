using FraudEdge.Core.Bundles;

namespace FraudEdge.Cli.Infrastructure;

/// <summary>
/// Trusted keys for the CLI's developer and audit commands. With no --trusted-key, a bundle from a folder is
/// checked against the TEST key (what the pipeline and the demo sign with), and the command says so on stderr,
/// because a test-key signature proves nothing about who made the bundle.
/// </summary>
internal static class CliKeys
{
    public static TrustedKeys? Resolve(string[] keyFiles, string? modelDirectory, bool rulesOnly)
    {
        if (keyFiles.Length > 0) return TrustedKeys.FromPemFiles(keyFiles);
        if (rulesOnly || modelDirectory is null) return null; // the engine's own default: embedded key for the embedded bundle
        Console.Error.WriteLine($"note: verifying {modelDirectory} against the TEST signing key (pass --trusted-key for a real key)");
        return TrustedKeys.EmbeddedTestKey();
    }
}
