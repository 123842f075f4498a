using System.Security.Cryptography;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// The public keys a bundle's manifest.sig may be made with (configuration: "TrustedKeys"). Only P-256
/// SubjectPublicKeyInfo PEMs are accepted; a private key pasted here by mistake is refused rather than
/// silently used. Each key is known by its id: the first 16 hex characters of SHA-256 over its SPKI DER,
/// the same id the trainer writes into manifest.signing_key_id. Ids are fingerprints, safe to log.
/// </summary>
public sealed class TrustedKeys : IDisposable
{
    /// <summary>Resource name of the TEST public key embedded in FraudEdge.Core (see FraudEdge.Core.csproj).</summary>
    internal const string EmbeddedTestKeyResource = "keys/fraudedge-test-signing.pub.pem";

    private const string NistP256Oid = "1.2.840.10045.3.1.7";
    private const int MaxPemChars = 8 * 1024;

    private readonly TrustedKey[] _keys;

    private TrustedKeys(TrustedKey[] keys) => _keys = keys;

    /// <summary>Ids of the trusted keys, in configuration order.</summary>
    public IReadOnlyList<string> KeyIds => Array.ConvertAll(_keys, k => k.Id);

    public int Count => _keys.Length;

    /// <summary>Builds the set from PEM texts ("-----BEGIN PUBLIC KEY-----" SubjectPublicKeyInfo, P-256).</summary>
    public static TrustedKeys FromPem(IEnumerable<string> pems)
    {
        var keys = new List<TrustedKey>();
        try
        {
            int index = 0;
            foreach (string pem in pems)
            {
                TrustedKey key = Parse(pem, $"trusted key #{index}");
                if (!keys.Exists(k => k.Id == key.Id)) keys.Add(key);
                else key.Key.Dispose();
                index++;
            }
        }
        catch
        {
            foreach (TrustedKey k in keys) k.Key.Dispose();
            throw;
        }
        return new TrustedKeys([.. keys]);
    }

    public static TrustedKeys FromPem(params string[] pems) => FromPem((IEnumerable<string>)pems);

    /// <summary>Reads each file as one PEM public key (paths from configuration).</summary>
    public static TrustedKeys FromPemFiles(IEnumerable<string> paths)
    {
        var pems = new List<string>();
        foreach (string path in paths)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"trusted key file '{path}' does not exist");
            if (info.Length > MaxPemChars) throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"trusted key file '{path}' is too large to be a public key");
            pems.Add(File.ReadAllText(path));
        }
        return FromPem(pems);
    }

    /// <summary>
    /// The TEST key embedded in the assembly: it verifies the shipped demo bundle and test fixtures. Its
    /// private half is committed to the repository, so it proves integrity, never authenticity: production
    /// configurations list their own keys instead.
    /// </summary>
    public static TrustedKeys EmbeddedTestKey() => FromPem(EmbeddedTestKeyPem());

    /// <summary>The embedded TEST public key as PEM text, for tools that hand it to fraudedged as a file.</summary>
    public static string EmbeddedTestKeyPem()
    {
        using Stream? stream = typeof(TrustedKeys).Assembly.GetManifestResourceStream(EmbeddedTestKeyResource)
            ?? throw new BundleException(BundleErrorCode.NoTrustedKeys, $"this build embeds no test key ({EmbeddedTestKeyResource})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The id the contract uses for a key: first 16 hex chars of SHA-256(SPKI DER), lowercase.</summary>
    internal static string KeyIdOf(ReadOnlySpan<byte> subjectPublicKeyInfoDer)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfoDer, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>The trusted key whose signature over <paramref name="data"/> verifies, if any.</summary>
    internal string? FindSigner(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        foreach (TrustedKey key in _keys)
        {
            bool ok;
            try
            {
                ok = key.Key.VerifyData(data, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }
            catch (CryptographicException)
            {
                ok = false; // malformed DER: treated as "does not verify", the caller reports it
            }
            if (ok) return key.Id;
        }
        return null;
    }

    internal bool Contains(string keyId) => Array.Exists(_keys, k => string.Equals(k.Id, keyId, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        foreach (TrustedKey key in _keys) key.Key.Dispose();
    }

    private static TrustedKey Parse(string pem, string what)
    {
        if (pem is null || pem.Length > MaxPemChars)
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is missing or too large to be a public key");
        if (!PemEncoding.TryFind(pem, out PemFields fields))
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not PEM");
        if (!pem.AsSpan(fields.Label).SequenceEqual("PUBLIC KEY"))
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} must be a \"PUBLIC KEY\" (SubjectPublicKeyInfo) PEM, not \"{pem[fields.Label]}\"");
        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan(fields.Base64Data), der, out int written) || written != der.Length)
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} has a malformed base64 body");

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(der, out int read);
            if (read != der.Length) throw new CryptographicException("trailing bytes after the SubjectPublicKeyInfo");
            ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value != NistP256Oid)
                throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not on curve P-256 (secp256r1), as fe-bundle-1 requires");
            // The id is computed over the canonical re-export so that encodings of the same key agree.
            return new TrustedKey(KeyIdOf(ecdsa.ExportSubjectPublicKeyInfo()), ecdsa);
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not an EC SubjectPublicKeyInfo: {e.Message}", e);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    private sealed record TrustedKey(string Id, ECDsa Key);
}
