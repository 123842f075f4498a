using System.Reflection;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// The default bundle compiled into FraudEdge.Core (models/fraudedge-slm/* as "fraudedge-slm/&lt;file&gt;"), so
/// an engine works with no files around. It is verified exactly like a bundle on disk: being embedded
/// protects against nothing if the assembly itself was replaced.
/// </summary>
internal sealed class EmbeddedBundleSource(Assembly assembly, string prefix) : BundleSource
{
    public const string DefaultPrefix = "fraudedge-slm";

    public static EmbeddedBundleSource Default => new(typeof(EmbeddedBundleSource).Assembly, DefaultPrefix);

    public override string Description => $"embedded:{prefix}";

    public bool Exists => assembly.GetManifestResourceInfo($"{prefix}/{BundleContract.ManifestFile}") is not null;

    protected override Stream? TryOpen(string fileName) => assembly.GetManifestResourceStream($"{prefix}/{fileName}");
}
