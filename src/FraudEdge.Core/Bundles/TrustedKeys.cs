using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// The public keys a bundle's manifest.sig may be made with (configuration: "TrustedKeys"). Only P-256
/// SubjectPublicKeyInfo PEMs are accepted; a private key pasted here by mistake is refused rather than
/// silently used. Each key is known by its id: the first 16 hex characters of SHA-256 over its SPKI DER,
/// the same id the trainer writes into manifest.signing_key_id. Ids are fingerprints, safe to log.
/// Keys and signatures are handled by the managed <see cref="P256PublicKey"/> (no OpenSSL on the terminal).
/// It holds nothing native any more; it stays <see cref="IDisposable"/> because callers own it as a resource.
/// </summary>
public sealed class TrustedKeys : IDisposable
{
    /// <summary>Resource name of the TEST public key embedded in FraudEdge.Core (see FraudEdge.Core.csproj).</summary>
    internal const string EmbeddedTestKeyResource = "keys/fraudedge-test-signing.pub.pem";

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
        int index = 0;
        foreach (string pem in pems)
        {
            TrustedKey key = Parse(pem, $"trusted key #{index}");
            if (!keys.Exists(k => k.Id == key.Id)) keys.Add(key);
            index++;
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
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(subjectPublicKeyInfoDer, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>The trusted key whose signature over <paramref name="data"/> verifies, if any.</summary>
    internal string? FindSigner(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(data, hash);
        foreach (TrustedKey key in _keys)
        {
            // Malformed DER is "does not verify" (false), the caller reports it.
            if (key.Key.VerifyHash(hash, derSignature)) return key.Id;
        }
        return null;
    }

    internal bool Contains(string keyId) => Array.Exists(_keys, k => string.Equals(k.Id, keyId, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
    }

    private static TrustedKey Parse(string pem, string what)
    {
        if (pem is null || pem.Length > MaxPemChars)
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is missing or too large to be a public key");
        List<Pem.Block> blocks;
        try
        {
            blocks = Pem.ReadAll(pem);
        }
        catch (FormatException e)
        {
            throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not PEM: {e.Message}", e);
        }
        try
        {
            if (blocks.Count == 0) throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not PEM");
            if (blocks[0].Label != "PUBLIC KEY")
                throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} must be a \"PUBLIC KEY\" (SubjectPublicKeyInfo) PEM, not \"{blocks[0].Label}\"");
            P256PublicKey key;
            try
            {
                key = P256PublicKey.ImportSubjectPublicKeyInfo(blocks[0].Der);
            }
            catch (FormatException e)
            {
                // The messages name algorithms, curves and structure, never key bytes.
                throw new BundleException(BundleErrorCode.TrustedKeyInvalid, $"{what} is not a P-256 (secp256r1) public key, as fe-bundle-1 requires: {e.Message}", e);
            }
            // The id is computed over the canonical re-export so that encodings of the same key agree.
            return new TrustedKey(KeyIdOf(key.ExportSubjectPublicKeyInfo()), key);
        }
        finally
        {
            foreach (Pem.Block block in blocks) Array.Clear(block.Der); // a private key pasted here by mistake does not linger
        }
    }

    private sealed record TrustedKey(string Id, P256PublicKey Key);
}
