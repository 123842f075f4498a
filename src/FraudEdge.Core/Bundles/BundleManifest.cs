using System.Text.Json;
using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// manifest.json of an fe-bundle-1 model bundle (docs/dataset-and-bundle.md). Field names are the
/// contract's snake_case, spelled out per property so a rename in C# can never silently change the wire
/// names. An instance handed out by <see cref="ModelBundle"/> has been signature-checked and validated.
/// </summary>
public sealed class BundleManifest
{
    [JsonPropertyName("format"), JsonRequired] public string Format { get; init; } = "";
    [JsonPropertyName("name"), JsonRequired] public string Name { get; init; } = "";
    [JsonPropertyName("version"), JsonRequired] public string Version { get; init; } = "";
    /// <summary>Kept as the text the trainer wrote: it is shown and logged, never computed with.</summary>
    [JsonPropertyName("created_utc")] public string? CreatedUtc { get; init; }
    [JsonPropertyName("tokenizer"), JsonRequired] public string Tokenizer { get; init; } = "";
    [JsonPropertyName("seq_len"), JsonRequired] public int SequenceLength { get; init; }
    [JsonPropertyName("vocab_size"), JsonRequired] public int VocabularySize { get; init; }
    [JsonPropertyName("input_name"), JsonRequired] public string InputName { get; init; } = "";
    [JsonPropertyName("output_name"), JsonRequired] public string OutputName { get; init; } = "";
    /// <summary>"int8" for the shipped student; informative (the graph itself is what runs).</summary>
    [JsonPropertyName("precision")] public string? Precision { get; init; }
    /// <summary>File name → lowercase SHA-256 hex. Every listed file is checked at load.</summary>
    [JsonPropertyName("files"), JsonRequired] public Dictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);
    [JsonPropertyName("calibration"), JsonRequired] public PlattCalibration Calibration { get; init; } = new();
    [JsonPropertyName("thresholds"), JsonRequired] public ManifestThresholds Thresholds { get; init; } = new();
    /// <summary>Free-form evaluation numbers (e.g. metrics.test.average_precision); shown, never trusted for decisions.</summary>
    [JsonPropertyName("metrics")] public JsonElement Metrics { get; init; }
    [JsonPropertyName("student")] public StudentDescription? Student { get; init; }
    [JsonPropertyName("teacher")] public TeacherDescription? Teacher { get; init; }
    [JsonPropertyName("training")] public TrainingDescription? Training { get; init; }
    /// <summary>First 16 hex characters of SHA-256 over the signing key's SubjectPublicKeyInfo DER.</summary>
    [JsonPropertyName("signing_key_id"), JsonRequired] public string SigningKeyId { get; init; } = "";

    /// <summary>Reads metrics.&lt;split&gt;.&lt;name&gt; as a number, if the trainer wrote one.</summary>
    public bool TryGetMetric(string split, string name, out double value)
    {
        value = 0;
        return Metrics.ValueKind == JsonValueKind.Object
            && Metrics.TryGetProperty(split, out JsonElement section) && section.ValueKind == JsonValueKind.Object
            && section.TryGetProperty(name, out JsonElement number) && number.ValueKind == JsonValueKind.Number
            && number.TryGetDouble(out value);
    }

    // The descriptive sections below are nullable throughout: the trainer writes null for a number it could
    // not compute (jsonutil.clean), and a missing description must never cost a terminal its model.

    /// <summary>The distilled model that runs on the terminal (descriptive).</summary>
    public sealed class StudentDescription
    {
        [JsonPropertyName("parameters")] public long? Parameters { get; init; }
        [JsonPropertyName("layers")] public int? Layers { get; init; }
        [JsonPropertyName("d_model")] public int? ModelWidth { get; init; }
        [JsonPropertyName("heads")] public int? Heads { get; init; }
        [JsonPropertyName("d_ff")] public int? FeedForwardWidth { get; init; }
        [JsonPropertyName("size_bytes")] public long? SizeBytes { get; init; }
        [JsonPropertyName("mflops_per_decision")] public double? MflopsPerDecision { get; init; }
    }

    /// <summary>The larger model the student was distilled from (descriptive).</summary>
    public sealed class TeacherDescription
    {
        [JsonPropertyName("description")] public string? Description { get; init; }
        [JsonPropertyName("parameters")] public long? Parameters { get; init; }
        [JsonPropertyName("layers")] public int? Layers { get; init; }
        [JsonPropertyName("d_model")] public int? ModelWidth { get; init; }
    }

    /// <summary>Where the model came from, so an auditor can rebuild it.</summary>
    public sealed class TrainingDescription
    {
        [JsonPropertyName("dataset_sha256")] public string? DatasetSha256 { get; init; }
        [JsonPropertyName("seed")] public long? Seed { get; init; }
        [JsonPropertyName("quick")] public bool? Quick { get; init; }
    }
}
