using System.Text;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// What the audit log says about the model in force, encoded once when the model is loaded so a decision record
/// copies bytes instead of formatting strings: the manifest's SHA-256 (names the exact bundle, since the manifest
/// lists every file's hash), name, version and signing key id. <see cref="None"/> means rules only.
/// </summary>
public sealed class AuditModelStamp
{
    private AuditModelStamp(AuditHash manifestSha256, string name, string version, string signingKeyId)
    {
        ManifestSha256 = manifestSha256;
        Name = name;
        Version = version;
        SigningKeyId = signingKeyId;
        NameBytes = Fit(name, AuditFormat.ModelNameCapacity);
        VersionBytes = Fit(version, AuditFormat.ModelVersionCapacity);
        KeyIdBytes = new byte[8];
        if (ModelBundle.IsKeyId(signingKeyId)) Convert.FromHexString(signingKeyId, KeyIdBytes, out _, out _);
    }

    /// <summary>No model: the rules decide. Recorded as an all-zero hash and empty texts.</summary>
    public static AuditModelStamp None { get; } = new(AuditHash.Zero, "", "", "");

    public AuditHash ManifestSha256 { get; }
    public string Name { get; }
    public string Version { get; }
    public string SigningKeyId { get; }
    public bool IsNone => ManifestSha256.IsZero;

    /// <summary>UTF-8, cut to the field's capacity (64 bytes) at a character boundary.</summary>
    internal byte[] NameBytes { get; }
    /// <summary>UTF-8, cut to 32 bytes at a character boundary; the hash names the bundle exactly anyway.</summary>
    internal byte[] VersionBytes { get; }
    /// <summary>The 16-hex-character key id as 8 bytes (zeros when the id is not in that form).</summary>
    internal byte[] KeyIdBytes { get; }

    public static AuditModelStamp For(ModelBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return new(AuditHash.ParseHex(bundle.ManifestSha256), bundle.Manifest.Name, bundle.Manifest.Version, bundle.Manifest.SigningKeyId);
    }

    /// <summary>For tools and tests that write a log without a bundle at hand.</summary>
    public static AuditModelStamp Create(AuditHash manifestSha256, string name, string version, string signingKeyId = "") =>
        new(manifestSha256, name ?? "", version ?? "", signingKeyId ?? "");

    public override string ToString() => IsNone ? "none (rules only)" : $"{Name} {Version} ({ManifestSha256})";

    private static byte[] Fit(string text, int capacity)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= capacity) return bytes;
        int length = capacity;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) length--; // do not split a multi-byte character
        return bytes[..length];
    }
}
