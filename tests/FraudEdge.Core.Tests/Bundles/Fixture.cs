using System.Security.Cryptography;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Tests.Bundles;

/// <summary>
/// The TEST fixture bundle made by Fixtures/make_fixture_bundle.py (a tiny float model signed with a
/// throwaway key committed next to it), copied into the test output folder.
/// </summary>
internal static class Fixture
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string BundleDirectory => Path.Combine(Root, "bundle");
    public static string SlowModelPath => Path.Combine(Root, "slow", "model.onnx");
    public static string PublicKeyPem => File.ReadAllText(Path.Combine(Root, "fixture-signing.TEST.pub.pem"));

    public static TrustedKeys TrustedKeys() => Core.Bundles.TrustedKeys.FromPem(PublicKeyPem);

    public static ECDsa SigningKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(Root, "fixture-signing.TEST.key.pem")));
        return key;
    }

    /// <summary>The bundle's files in memory, ready to be tampered with.</summary>
    public static MemoryBundleSource Files()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (string path in Directory.GetFiles(BundleDirectory))
            files[Path.GetFileName(path)] = File.ReadAllBytes(path);
        return new MemoryBundleSource(files);
    }

    public static ModelBundle Load() => ModelBundle.Load(BundleDirectory, TrustedKeys());
}
