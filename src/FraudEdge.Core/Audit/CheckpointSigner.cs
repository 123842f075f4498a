using System.Security.Cryptography;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Signs checkpoints with an ECDSA P-256 private key. The key id is the bundle contract's: the first 16 hex
/// characters of SHA-256 over the public SubjectPublicKeyInfo, so `fraudedge verify --trusted-key` takes the
/// same public-key PEM files as TrustedKeys.
/// </summary>
internal sealed class CheckpointSigner : IDisposable
{
    private const string NistP256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa _key;
    private readonly bool _ownsKey;

    private CheckpointSigner(ECDsa key, bool ownsKey)
    {
        _key = key;
        _ownsKey = ownsKey;
        ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != NistP256Oid && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
            throw new AuditLogException(AuditErrorCode.InvalidOptions, "the checkpoint signing key must be on curve P-256");
        KeyId = TrustedKeys.KeyIdOf(key.ExportSubjectPublicKeyInfo());
        KeyIdBytes = Convert.FromHexString(KeyId);
    }

    public string KeyId { get; }

    public byte[] KeyIdBytes { get; }

    public static CheckpointSigner? Create(AuditLogOptions options)
    {
        if (options.CheckpointSigningKey is { } key) return new CheckpointSigner(key, ownsKey: false);
        if (options.CheckpointSigningKeyPath is not { } path) return null;
        var loaded = ECDsa.Create();
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > 16 * 1024)
                throw new AuditLogException(AuditErrorCode.InvalidOptions, $"checkpoint signing key '{path}' is missing or too large to be a key");
            loaded.ImportFromPem(File.ReadAllText(path));
            return new CheckpointSigner(loaded, ownsKey: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            loaded.Dispose();
            // The exception text is about the PEM structure, never the key material.
            throw new AuditLogException(AuditErrorCode.InvalidOptions, $"checkpoint signing key '{path}' is not a P-256 private key PEM", inner: e);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>DER signature of <paramref name="data"/> into <paramref name="destination"/> (72 bytes); returns its length.</summary>
    public int Sign(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!_key.TrySignData(data, destination, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence, out int written))
            throw new CryptographicException("an ECDSA P-256 DER signature did not fit in 72 bytes");
        return written;
    }

    public void Dispose()
    {
        if (_ownsKey) _key.Dispose();
    }
}
