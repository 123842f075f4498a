using System.Text.Json.Serialization;

namespace FraudEdge.Cli.Evaluation;

/// <summary>`fraudedge evaluate --json` output; docs/model-card.md is rendered from it.</summary>
internal sealed class EvaluationReport
{
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("model_sha256")] public string? ModelSha256 { get; set; }
    [JsonPropertyName("profile")] public string Profile { get; set; } = "";
    [JsonPropertyName("data")] public string Data { get; set; } = "";
    [JsonPropertyName("from_utc")] public string FromUtc { get; set; } = "";
    [JsonPropertyName("to_utc")] public string ToUtc { get; set; } = "";
    [JsonPropertyName("events")] public long Events { get; set; }
    [JsonPropertyName("positives")] public long Positives { get; set; }
    [JsonPropertyName("average_precision")] public double AveragePrecision { get; set; }
    [JsonPropertyName("roc_auc")] public double RocAuc { get; set; }
    [JsonPropertyName("recall_at_fpr_0_1pct")] public double RecallAtFpr01 { get; set; }
    [JsonPropertyName("recall_at_fpr_1pct")] public double RecallAtFpr1 { get; set; }
    [JsonPropertyName("card_precision_at_100_per_day")] public double CardPrecisionAt100 { get; set; }
    /// <summary>verdict → {fraud, legitimate} counts at the shipped thresholds.</summary>
    [JsonPropertyName("confusion")] public Dictionary<string, Dictionary<string, long>> Confusion { get; set; } = [];
    [JsonPropertyName("per_typology")] public Dictionary<string, TypologyRecall> PerTypology { get; set; } = [];
    [JsonPropertyName("rules_fallback_decisions")] public long Fallbacks { get; set; }
    [JsonPropertyName("rejected_events")] public long Rejected { get; set; }
    [JsonPropertyName("latency_p50_us")] public double LatencyP50Us { get; set; }
    [JsonPropertyName("latency_p99_us")] public double LatencyP99Us { get; set; }
}

internal sealed class TypologyRecall
{
    [JsonPropertyName("events")] public long Events { get; set; }
    [JsonPropertyName("denied")] public long Denied { get; set; }
    [JsonPropertyName("reviewed")] public long Reviewed { get; set; }
    [JsonPropertyName("recall_deny")] public double RecallDeny { get; set; }
    [JsonPropertyName("recall_review_or_deny")] public double RecallFlagged { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EvaluationReport))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
