using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>One token sequence and the logit the exporter's reference computed for it.</summary>
public sealed class ParityVector
{
    [JsonPropertyName("tokens"), JsonRequired] public int[] Tokens { get; init; } = [];
    [JsonPropertyName("logit"), JsonRequired] public double Logit { get; init; }
}
