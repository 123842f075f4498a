using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// Calibrated-probability thresholds chosen at training time for target review / deny rates.
/// p ≥ deny → Deny, p ≥ review → Review, else Allow; a hardware profile may override them.
/// </summary>
public sealed class ManifestThresholds
{
    [JsonPropertyName("review"), JsonRequired] public double Review { get; init; }
    [JsonPropertyName("deny"), JsonRequired] public double Deny { get; init; }
    /// <summary>Descriptive: the rates the thresholds were chosen for (null if the trainer could not compute them).</summary>
    [JsonPropertyName("target_review_rate")] public double? TargetReviewRate { get; init; }
    [JsonPropertyName("target_deny_rate")] public double? TargetDenyRate { get; init; }
}
