using FraudEdge.Core.Tokenization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// The fixed fe-bundle-1 contract (docs/dataset-and-bundle.md) and the loader's size limits. The limits
/// exist because a bundle may come from an untrusted place (a USB stick, a download): every file is
/// measured before it is read, so a huge or endless file cannot exhaust a terminal's memory.
/// </summary>
internal static class BundleContract
{
    public const string Format = "fe-bundle-1";

    // Taken from the tokenizer compiled into this engine, so it can never accept a model trained on token
    // ids it does not produce.
    public const string TokenizerVersion = Tokenizer.Version;
    public const int SequenceLength = Tokenizer.SequenceLength;

    /// <summary>Ids the tokenizer can emit; the model's embedding must cover all of them.</summary>
    public static int TokenizerVocabularySize => Tokenizer.VocabularySize;

    public const string InputName = "tokens";
    public const string OutputName = "logit";

    public const string ManifestFile = "manifest.json";
    public const string SignatureFile = "manifest.sig";
    public const string ModelFile = "model.onnx";
    public const string BatchModelFile = "model.batch.onnx";
    public const string ParityFile = "parity.json";

    /// <summary>The manifest is a few KiB; 64 KiB leaves room for metrics without inviting abuse.</summary>
    public const int MaxManifestBytes = 64 * 1024;
    /// <summary>A base64 DER P-256 signature is at most ~100 characters.</summary>
    public const int MaxSignatureBytes = 1024;
    /// <summary>The int8 student is ~100-300 KiB; 16 MiB is far above any model an entry terminal could run.</summary>
    public const int MaxModelBytes = 16 * 1024 * 1024;
    /// <summary>parity.json and any other listed file.</summary>
    public const int MaxAuxiliaryFileBytes = 4 * 1024 * 1024;
    /// <summary>manifest.files is a short list; a long one is a malformed (or hostile) manifest.</summary>
    public const int MaxListedFiles = 16;
    public const int MaxVocabularySize = 1 << 20;
    public const int MaxParityVectors = 10_000;

    public static int MaxBytesFor(string fileName) =>
        fileName is ModelFile or BatchModelFile ? MaxModelBytes : MaxAuxiliaryFileBytes;
}
