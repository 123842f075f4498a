using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// Platt scaling fitted at training time: turns the model's raw logit into a calibrated fraud probability,
/// which is what thresholds (manifest or profile) are expressed in.
/// </summary>
public sealed class PlattCalibration
{
    public const string PlattMethod = "platt";

    [JsonPropertyName("method"), JsonRequired] public string Method { get; init; } = PlattMethod;
    [JsonPropertyName("a"), JsonRequired] public double A { get; init; } = 1.0;
    [JsonPropertyName("b"), JsonRequired] public double B { get; init; }

    /// <summary>p = 1 / (1 + exp(-(a·logit + b))), the contract's formula; allocation-free.</summary>
    public double ToProbability(float logit) => 1.0 / (1.0 + Math.Exp(-(A * logit + B)));
}
