using FraudEdge.Core.Bundles;

namespace FraudEdge.Core.Audit;

/// <summary>
/// A model-loaded record's payload: which model is in force from this record on ("model versions in force over
/// time" is the sequence of these records). Layout: docs/audit-log.md, "ModelLoaded".
/// </summary>
public sealed record AuditModelLoaded
{
    public AuditModelChange Change { get; init; }
    /// <summary>Zero when no model is in force (rules only); see <see cref="Refusal"/> for why.</summary>
    public AuditHash ManifestSha256 { get; init; }
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    /// <summary>Id of the key that signed the bundle (16 hex characters), empty when none.</summary>
    public string SigningKeyId { get; init; } = "";
    public string Tokenizer { get; init; } = "";
    /// <summary>Why the engine has no model (a <see cref="BundleErrorCode"/>), or null.</summary>
    public BundleErrorCode? Refusal { get; init; }

    public bool IsRulesOnly => ManifestSha256.IsZero;

    internal static void Write(ref LayoutWriter w, AuditModelChange change, AuditModelStamp model, BundleErrorCode? refusal)
    {
        w.U8((byte)change);
        w.Hash(model.ManifestSha256);
        w.Text(model.NameBytes, AuditFormat.ModelNameCapacity);
        w.Text(model.VersionBytes, AuditFormat.ModelVersionCapacity);
        w.Raw(model.KeyIdBytes);
        w.Text(AuditDecision.TokenizerBytes, AuditFormat.TokenizerCapacity);
        w.U16(refusal is { } code ? (ushort)code : (ushort)0);
    }

    internal static AuditModelLoaded Read(ref LayoutReader r)
    {
        var change = (AuditModelChange)r.U8();
        AuditHash sha = r.Hash();
        string name = System.Text.Encoding.UTF8.GetString(r.Text(AuditFormat.ModelNameCapacity));
        string version = System.Text.Encoding.UTF8.GetString(r.Text(AuditFormat.ModelVersionCapacity));
        ReadOnlySpan<byte> keyId = r.Raw(8);
        string tokenizer = System.Text.Encoding.UTF8.GetString(r.Text(AuditFormat.TokenizerCapacity));
        ushort refusal = r.U16();
        return new AuditModelLoaded
        {
            Change = change, ManifestSha256 = sha, Name = name, Version = version,
            SigningKeyId = keyId.IndexOfAnyExcept((byte)0) < 0 ? "" : Convert.ToHexStringLower(keyId),
            Tokenizer = tokenizer, Refusal = refusal == 0 ? null : (BundleErrorCode)refusal,
        };
    }
}
