using System.Text.Json;
using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// Source-generated (reflection-free, NativeAOT-safe) JSON for the bundle files. Strict where strictness
/// protects the signed contract: no comments, no trailing commas, no duplicate keys (a duplicate could make
/// two readers of the same signed bytes see different values), shallow nesting. Unknown members are
/// allowed so a newer trainer can add descriptive fields without breaking deployed engines.
/// </summary>
[JsonSourceGenerationOptions(
    ReadCommentHandling = JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true, // "files": null is an error, not a NullReferenceException later
    MaxDepth = 16,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(ParityVectors))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
