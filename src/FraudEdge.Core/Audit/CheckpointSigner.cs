using FraudEdge.Core.Bundles;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Signs checkpoints with an ECDSA P-256 private key (managed <see cref="P256PrivateKey"/>: deterministic RFC 6979
/// nonces, DER signatures, no OpenSSL). The key id is the bundle contract's: the first 16 hex characters of
/// SHA-256 over the public SubjectPublicKeyInfo, so `fraudedge verify --trusted-key` takes the same public-key
/// PEM files as TrustedKeys.
/// </summary>
internal sealed class CheckpointSigner : IDisposable
{
    private const int MaxKeyFileBytes = 16 * 1024;

    private readonly P256PrivateKey _key;
    private readonly bool _ownsKey;

    private CheckpointSigner(P256PrivateKey key, bool ownsKey)
    {
        _key = key;
        _ownsKey = ownsKey;
        KeyId = TrustedKeys.KeyIdOf(key.PublicKey.ExportSubjectPublicKeyInfo());
        KeyIdBytes = Convert.FromHexString(KeyId);
    }

    public string KeyId { get; }

    public byte[] KeyIdBytes { get; }

    public static CheckpointSigner? Create(AuditLogOptions options)
    {
        if (options.CheckpointSigningKey is { } key) return new CheckpointSigner(key, ownsKey: false);
        if (options.CheckpointSigningKeyPath is not { } path) return null;
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > MaxKeyFileBytes)
            throw new AuditLogException(AuditErrorCode.InvalidOptions, $"checkpoint signing key '{path}' is missing or too large to be a key");
        P256PrivateKey loaded;
        try
        {
            loaded = P256PrivateKey.FromPem(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            // The exception text is about the PEM structure, never the key material.
            throw new AuditLogException(AuditErrorCode.InvalidOptions, $"checkpoint signing key '{path}' is not a P-256 private key PEM: {e.Message}", inner: e);
        }
        return new CheckpointSigner(loaded, ownsKey: true);
    }

    /// <summary>DER signature of <paramref name="data"/> into <paramref name="destination"/> (72 bytes); returns its length.</summary>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> destination) => _key.SignData(data, destination);

    public void Dispose()
    {
        if (_ownsKey) _key.Dispose();
    }
}
