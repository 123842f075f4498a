namespace FraudEdge.Core.Bundles;

/// <summary>
/// Where a bundle's files come from: a folder on disk or the resources embedded in FraudEdge.Core. The
/// verifier reads every file through <see cref="ReadBounded"/>, which refuses an oversized file from its
/// length alone, before reading any of it.
/// </summary>
internal abstract class BundleSource
{
    /// <summary>Shown in messages and logs ("/opt/fraudedge/models/x" or "embedded:fraudedge-slm").</summary>
    public abstract string Description { get; }

    /// <summary>Opens a file of the bundle, or returns null when it does not exist.</summary>
    protected abstract Stream? TryOpen(string fileName);

    /// <summary>
    /// Reads a whole file of at most <paramref name="maxBytes"/>, or returns null when it does not exist.
    /// The bytes returned are the ones that get hashed and then used: nothing is read twice, so a file
    /// swapped between check and use cannot slip through.
    /// </summary>
    public byte[]? ReadBounded(string fileName, int maxBytes)
    {
        using Stream? stream = TryOpen(fileName);
        if (stream is null) return null;
        long length = stream.Length;
        if (length > maxBytes)
            throw new BundleException(BundleErrorCode.FileTooLarge, $"{fileName} in {Description} is {length} bytes; the limit is {maxBytes}");
        byte[] bytes = new byte[length];
        stream.ReadExactly(bytes);
        // A file that keeps growing after its length was taken is being written to: refuse it.
        if (stream.ReadByte() >= 0)
            throw new BundleException(BundleErrorCode.FileTooLarge, $"{fileName} in {Description} grew while it was being read");
        return bytes;
    }
}
