using System.Text.Json.Serialization;

namespace FraudEdge.Core.Profiles;

/// <summary>
/// Everything a terminal class fixes at start-up: memory budget, table capacities, threads, deadlines and
/// limits. Loaded from hardware-profiles/*.json (schema: hardware-profiles/profile.schema.json); nothing
/// grows past these numbers at run time.
/// </summary>
public sealed class HardwareProfile
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string Description { get; set; } = "";
    /// <summary>"arm64" or "x64".</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("cpu")] public string Cpu { get; set; } = "";
    /// <summary>Resident memory the whole FraudEdge process may use, MiB.</summary>
    [JsonPropertyName("memory_budget_mib")] public int MemoryBudgetMib { get; set; }
    /// <summary>GC heap hard limit, MiB (part of the budget).</summary>
    [JsonPropertyName("gc_heap_limit_mib")] public int GcHeapLimitMib { get; set; }
    [JsonPropertyName("history")] public HistoryLimits History { get; set; } = new();
    [JsonPropertyName("scoring")] public ScoringLimits Scoring { get; set; } = new();
    [JsonPropertyName("rules")] public RuleLimits Rules { get; set; } = new();
    [JsonPropertyName("service")] public ServiceLimits Service { get; set; } = new();
    [JsonPropertyName("audit")] public AuditLimits Audit { get; set; } = new();
}

public sealed class HistoryLimits
{
    /// <summary>Terminals one engine serves (1 on a terminal, the lane count on a store server).</summary>
    [JsonPropertyName("max_terminals")] public int MaxTerminals { get; set; }
    /// <summary>Events kept per terminal (ring buffer); the tokenizer reads the last few of them.</summary>
    [JsonPropertyName("recent_events_per_terminal")] public int RecentEventsPerTerminal { get; set; }
    /// <summary>Cards tracked (fixed hash table, power of two).</summary>
    [JsonPropertyName("card_capacity")] public int CardCapacity { get; set; }
    /// <summary>BIN ranges tracked for card-testing bursts (power of two).</summary>
    [JsonPropertyName("bin_capacity")] public int BinCapacity { get; set; }
    /// <summary>Operators (cashiers) tracked for refund patterns (power of two).</summary>
    [JsonPropertyName("operator_capacity")] public int OperatorCapacity { get; set; }
}

public sealed class ScoringLimits
{
    [JsonPropertyName("intra_op_threads")] public int IntraOpThreads { get; set; } = 1;
    /// <summary>Per-decision model deadline; past it the rules decide and the decision says so.</summary>
    [JsonPropertyName("deadline_us")] public int DeadlineMicroseconds { get; set; }
    /// <summary>Use ORT's CPU memory arena (faster, but it grows to the largest run).</summary>
    [JsonPropertyName("cpu_arena")] public bool CpuArena { get; set; }
    /// <summary>Optional thresholds overriding the model manifest's (calibrated probabilities).</summary>
    [JsonPropertyName("review_threshold")] public double? ReviewThreshold { get; set; }
    [JsonPropertyName("deny_threshold")] public double? DenyThreshold { get; set; }
}

/// <summary>Rules-only fallback limits in the spirit of EMV Book 3 §10.6 terminal risk management.</summary>
public sealed class RuleLimits
{
    /// <summary>Above this amount (minor units) an unscored transaction goes to review.</summary>
    [JsonPropertyName("floor_limit_minor")] public long FloorLimitMinor { get; set; }
    /// <summary>Cards used more often than this within 10 minutes are a velocity hit.</summary>
    [JsonPropertyName("card_velocity_10min")] public int CardVelocity10Min { get; set; }
    /// <summary>Distinct cards at one terminal in 10 minutes that signal card testing.</summary>
    [JsonPropertyName("distinct_cards_10min")] public int DistinctCards10Min { get; set; }
}

public sealed class ServiceLimits
{
    [JsonPropertyName("max_connections")] public int MaxConnections { get; set; }
    [JsonPropertyName("max_frame_bytes")] public int MaxFrameBytes { get; set; }
    [JsonPropertyName("read_timeout_ms")] public int ReadTimeoutMs { get; set; }
    [JsonPropertyName("idle_timeout_ms")] public int IdleTimeoutMs { get; set; }
}

public sealed class AuditLimits
{
    [JsonPropertyName("segment_bytes")] public long SegmentBytes { get; set; }
    [JsonPropertyName("max_total_bytes")] public long MaxTotalBytes { get; set; }
    /// <summary>"fsync-each-record" or "group-commit".</summary>
    [JsonPropertyName("durability")] public string Durability { get; set; } = "";
    [JsonPropertyName("group_commit_ms")] public int GroupCommitMs { get; set; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowTrailingCommas = false)]
[JsonSerializable(typeof(HardwareProfile))]
internal sealed partial class HardwareProfileJsonContext : JsonSerializerContext;
