using System.Text.Json;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// A verified fe-bundle-1 model bundle held in memory (docs/dataset-and-bundle.md). Constructing one IS the
/// verification: manifest.sig must verify against a trusted key over the exact manifest.json bytes, every
/// file the signed manifest lists must match its SHA-256, and the manifest must describe a model this
/// engine can feed (tokenizer version, sequence length, input/output names). Anything else is a
/// <see cref="BundleException"/> with a stable <see cref="BundleErrorCode"/>; the caller keeps whatever
/// model it had. Whether ONNX Runtime accepts the graph is checked when a scorer is created from it
/// (<c>OnnxScorer.Create</c>, <see cref="BundleErrorCode.ModelInvalid"/>).
/// Files in the folder that the manifest does not list are never read.
/// </summary>
public sealed partial class ModelBundle
{
    private ModelBundle(string source, BundleManifest manifest, string manifestSha256, byte[] model, byte[]? batchModel, ParityVectors parity)
    {
        Source = source;
        Manifest = manifest;
        ManifestSha256 = manifestSha256;
        ModelBytes = model;
        BatchModelBytes = batchModel;
        Parity = parity;
    }

    /// <summary>Where the bundle was loaded from: a folder path or "embedded:fraudedge-slm".</summary>
    public string Source { get; }

    public BundleManifest Manifest { get; }

    /// <summary>SHA-256 (hex) of the exact manifest.json bytes: names this model in logs and the audit trail.</summary>
    public string ManifestSha256 { get; }

    public ParityVectors Parity { get; }

    /// <summary>True when the bundle carries the optional dynamic-batch graph (used by replay).</summary>
    public bool HasBatchModel => BatchModelBytes is not null;

    /// <summary>model.onnx, verified. Handed to ONNX Runtime as-is; never written anywhere.</summary>
    internal byte[] ModelBytes { get; }

    /// <summary>model.batch.onnx when the manifest lists it, verified.</summary>
    internal byte[]? BatchModelBytes { get; }

    /// <summary>True when this build of FraudEdge.Core embeds a default bundle (models/fraudedge-slm).</summary>
    public static bool HasEmbedded => EmbeddedBundleSource.Default.Exists;

    /// <summary>Loads and verifies the bundle in <paramref name="directory"/>.</summary>
    public static ModelBundle Load(string directory, TrustedKeys trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new BundleException(BundleErrorCode.ManifestMissing, $"bundle folder '{directory}' does not exist");
        return Load(new DirectoryBundleSource(directory), trustedKeys);
    }

    /// <summary>Loads and verifies the default bundle embedded in FraudEdge.Core.</summary>
    public static ModelBundle LoadEmbedded(TrustedKeys trustedKeys) => Load(EmbeddedBundleSource.Default, trustedKeys);

    public override string ToString() => $"{Manifest.Name} {Manifest.Version} ({Source})";

    internal static ModelBundle Load(BundleSource source, TrustedKeys trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(trustedKeys);
        if (trustedKeys.Count == 0)
            throw new BundleException(BundleErrorCode.NoTrustedKeys, "no trusted public key is configured, so no bundle can be verified");

        byte[] manifestBytes = source.ReadBounded(BundleContract.ManifestFile, BundleContract.MaxManifestBytes)
            ?? throw new BundleException(BundleErrorCode.ManifestMissing, $"{source.Description} has no {BundleContract.ManifestFile}");
        byte[] signatureText = source.ReadBounded(BundleContract.SignatureFile, BundleContract.MaxSignatureBytes)
            ?? throw new BundleException(BundleErrorCode.SignatureMissing, $"{source.Description} has no {BundleContract.SignatureFile}");

        // Authenticity first: nothing in the manifest is believed before its signature verifies.
        string signerId = VerifySignature(source, manifestBytes, DecodeSignature(source, signatureText), trustedKeys);
        BundleManifest manifest = ParseManifest(source, manifestBytes);
        Validate(source, manifest, signerId);

        // Integrity of every listed file, in a stable order so the first error reported is reproducible.
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var names = new List<string>(manifest.Files.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            byte[] bytes = source.ReadBounded(name, BundleContract.MaxBytesFor(name))
                ?? throw new BundleException(BundleErrorCode.FileMissing, $"{name} is listed in the signed manifest but missing from {source.Description}");
            string actual = Convert.ToHexStringLower(Sha256.HashData(bytes));
            string expected = manifest.Files[name];
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new BundleException(BundleErrorCode.HashMismatch, $"{name} in {source.Description} has SHA-256 {actual}, the signed manifest lists {expected}");
            contents[name] = bytes;
        }

        ParityVectors parity = ParityVectors.Parse(contents[BundleContract.ParityFile], manifest.SequenceLength, manifest.VocabularySize);
        contents.TryGetValue(BundleContract.BatchModelFile, out byte[]? batch);
        return new ModelBundle(source.Description, manifest, Convert.ToHexStringLower(Sha256.HashData(manifestBytes)),
            contents[BundleContract.ModelFile], batch, parity);
    }

    private static byte[] DecodeSignature(BundleSource source, byte[] signatureText)
    {
        // "base64, one line": tolerate the trailing newline (and CRLF) editors and shells add, nothing else.
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(signatureText).Trim();
            byte[] der = Convert.FromBase64String(text);
            // An ECDSA P-256 DER signature is a SEQUENCE of two INTEGERs: 8..72 bytes.
            if (der.Length is >= 8 and <= 72) return der;
        }
        catch (FormatException)
        {
        }
        catch (ArgumentException)
        {
        }
        throw new BundleException(BundleErrorCode.SignatureInvalid, $"{BundleContract.SignatureFile} in {source.Description} is not a base64 DER ECDSA P-256 signature");
    }

    private static string VerifySignature(BundleSource source, byte[] manifestBytes, byte[] signature, TrustedKeys trustedKeys)
    {
        string? signer = trustedKeys.FindSigner(manifestBytes, signature);
        if (signer is not null) return signer;

        // Tell "tampered after signing" from "signed by someone we do not trust" by the key id the
        // manifest claims. The claim is unauthenticated, so it only picks the message, never the outcome.
        string? claimed = TryReadClaimedKeyId(manifestBytes);
        if (claimed is not null && trustedKeys.Contains(claimed))
            throw new BundleException(BundleErrorCode.SignatureInvalid,
                $"{BundleContract.ManifestFile} in {source.Description} does not match its signature by trusted key {claimed}: it was changed after signing");
        throw new BundleException(BundleErrorCode.UntrustedKey,
            $"{BundleContract.SignatureFile} in {source.Description} was not made by a trusted key (manifest names key {claimed ?? "(none)"}; trusted: {string.Join(", ", trustedKeys.KeyIds)})");
    }

    /// <summary>Reads top-level signing_key_id if it looks like a key id; null for anything else.</summary>
    private static string? TryReadClaimedKeyId(byte[] manifestBytes)
    {
        try
        {
            var reader = new Utf8JsonReader(manifestBytes, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isKeyId = reader.ValueTextEquals("signing_key_id"u8);
                reader.Read();
                if (isKeyId)
                {
                    string? value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    return value is not null && IsKeyId(value) ? value : null; // never echo arbitrary text into logs
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    private static BundleManifest ParseManifest(BundleSource source, byte[] manifestBytes)
    {
        try
        {
            return JsonSerializer.Deserialize(manifestBytes, BundleJsonContext.Default.BundleManifest)
                ?? throw new BundleException(BundleErrorCode.ManifestInvalid, $"{BundleContract.ManifestFile} in {source.Description} is null");
        }
        catch (JsonException e)
        {
            throw new BundleException(BundleErrorCode.ManifestInvalid, $"{BundleContract.ManifestFile} in {source.Description} is not valid fe-bundle-1 JSON: {e.Message}", e);
        }
    }

    internal static bool IsKeyId(string value)
    {
        if (value.Length != 16) return false;
        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        return true;
    }
}
