using System.Security.Cryptography;
using System.Text;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Tests.Bundles;

/// <summary>A bundle held in memory: lets a test change one byte or one field and re-sign.</summary>
internal sealed class MemoryBundleSource(Dictionary<string, byte[]> files) : BundleSource
{
    public Dictionary<string, byte[]> Contents { get; } = files;

    public override string Description => "memory:fixture";

    public string ManifestText
    {
        get => Encoding.UTF8.GetString(Contents["manifest.json"]);
        set => Contents["manifest.json"] = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>Edits manifest.json (the signature is left as it was).</summary>
    public MemoryBundleSource EditManifest(string from, string to)
    {
        string text = ManifestText;
        Assert.Contains(from, text, StringComparison.Ordinal);
        ManifestText = text.Replace(from, to, StringComparison.Ordinal);
        return this;
    }

    /// <summary>
    /// Signs the current manifest.json the way the trainer does (DER, base64, one line). With .NET's ECDsa on purpose:
    /// an independent implementation (OpenSSL here) signs what the managed verifier in FraudEdge.Core must accept.
    /// </summary>
    public MemoryBundleSource Sign(ECDsa key)
    {
        byte[] signature = key.SignData(Contents["manifest.json"], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Contents["manifest.sig"] = Encoding.ASCII.GetBytes(Convert.ToBase64String(signature) + "\n");
        return this;
    }

    /// <summary>Puts a file's real SHA-256 into the manifest (so only the signature can catch a change).</summary>
    public MemoryBundleSource RehashIntoManifest(string fileName)
    {
        string listed = ListedHash(fileName);
        return EditManifest(listed, Convert.ToHexStringLower(SHA256.HashData(Contents[fileName])));
    }

    public string ListedHash(string fileName)
    {
        string text = ManifestText;
        int at = text.IndexOf($"\"{fileName}\": \"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{fileName} is not listed");
        return text.Substring(at + fileName.Length + 5, 64);
    }

    public ModelBundle Load(TrustedKeys keys) => ModelBundle.Load(this, keys);

    protected override Stream? TryOpen(string fileName) =>
        Contents.TryGetValue(fileName, out byte[]? bytes) ? new MemoryStream(bytes, writable: false) : null;
}
