namespace FraudEdge.Core.Bundles;

/// <summary>A bundle in a folder on disk (e.g. a model pushed by the estate's update mechanism).</summary>
internal sealed class DirectoryBundleSource(string directory) : BundleSource
{
    public override string Description => directory;

    protected override Stream? TryOpen(string fileName)
    {
        string path = Path.Combine(directory, fileName);
        if (!File.Exists(path)) return null; // false for directories too
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // removed between the check and the open: same as absent
        }
    }
}
