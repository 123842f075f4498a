namespace FraudEdge.Core.Bundles;

/// <summary>
/// A model bundle was refused. <see cref="Code"/> is the stable reason; the message says which file or
/// field and why, and never carries key material (only key ids, which are public fingerprints).
/// </summary>
public sealed class BundleException : Exception
{
    public BundleException(BundleErrorCode code, string message) : base($"model bundle refused ({code}): {message}")
    {
        Code = code;
    }

    public BundleException(BundleErrorCode code, string message, Exception inner)
        : base($"model bundle refused ({code}): {message}", inner)
    {
        Code = code;
    }

    public BundleErrorCode Code { get; }
}
