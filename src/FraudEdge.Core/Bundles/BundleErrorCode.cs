namespace FraudEdge.Core.Bundles;

/// <summary>
/// Why a model bundle was refused. The numeric values are stable: they travel in Status responses, logs
/// and the audit trail, so a code is never renumbered or reused (append new ones at the end).
/// </summary>
public enum BundleErrorCode
{
    /// <summary>No trusted public key is configured: nothing could be verified.</summary>
    NoTrustedKeys = 1,
    /// <summary>A configured trusted key is not a P-256 SubjectPublicKeyInfo PEM.</summary>
    TrustedKeyInvalid = 2,
    /// <summary>The bundle folder or manifest.json does not exist.</summary>
    ManifestMissing = 3,
    /// <summary>manifest.json is not valid fe-bundle-1 JSON, or a field has an impossible value.</summary>
    ManifestInvalid = 4,
    /// <summary>manifest.json names a bundle format this code does not read.</summary>
    UnsupportedFormat = 5,
    /// <summary>manifest.sig does not exist.</summary>
    SignatureMissing = 6,
    /// <summary>manifest.sig is malformed, or manifest.json was changed after the trusted key signed it.</summary>
    SignatureInvalid = 7,
    /// <summary>manifest.sig was made by a key that is not in the trusted set.</summary>
    UntrustedKey = 8,
    /// <summary>A file listed in manifest.files (or required by the format) is absent.</summary>
    FileMissing = 9,
    /// <summary>A file is larger than the loader accepts; refused before it is read.</summary>
    FileTooLarge = 10,
    /// <summary>A file's SHA-256 differs from the one the signed manifest lists.</summary>
    HashMismatch = 11,
    /// <summary>The model was trained on another tokenizer version than the one compiled in.</summary>
    TokenizerMismatch = 12,
    /// <summary>Sequence length, input or output name differ from what the engine feeds and reads.</summary>
    ContractMismatch = 13,
    /// <summary>ONNX Runtime cannot load the model, or its graph inputs/outputs do not match the manifest.</summary>
    ModelInvalid = 14,
    /// <summary>parity.json is malformed.</summary>
    ParityInvalid = 15,
    /// <summary>The model does not reproduce its own parity vectors on this device.</summary>
    ParityFailed = 16,
}
