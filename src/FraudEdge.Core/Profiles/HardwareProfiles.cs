using System.Numerics;
using System.Reflection;
using System.Text.Json;

namespace FraudEdge.Core.Profiles;

/// <summary>Loads and checks hardware profiles; the shipped ones are embedded in the assembly.</summary>
public static class HardwareProfiles
{
    /// <summary>The profile used when none is given: the tightest arm64 terminal class.</summary>
    public const string DefaultName = "entry-a53";

    public static IReadOnlyList<string> EmbeddedNames()
    {
        var names = new List<string>();
        foreach (string resource in typeof(HardwareProfiles).Assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith("hardware-profiles/", StringComparison.Ordinal) && resource.EndsWith(".json", StringComparison.Ordinal)
                && !resource.EndsWith(".schema.json", StringComparison.Ordinal))
                names.Add(resource["hardware-profiles/".Length..^".json".Length]);
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public static HardwareProfile LoadEmbedded(string name = DefaultName)
    {
        using Stream? stream = typeof(HardwareProfiles).Assembly.GetManifestResourceStream($"hardware-profiles/{name}.json")
            ?? throw new ProfileException("name", $"no embedded profile named '{name}' (have: {string.Join(", ", EmbeddedNames())})");
        return Load(stream);
    }

    /// <summary>Loads a profile by embedded name or from a file path.</summary>
    public static HardwareProfile Resolve(string? nameOrPath)
    {
        if (string.IsNullOrEmpty(nameOrPath)) return LoadEmbedded();
        if (File.Exists(nameOrPath)) return LoadFile(nameOrPath);
        return LoadEmbedded(nameOrPath);
    }

    public static HardwareProfile LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    public static HardwareProfile Load(Stream json)
    {
        HardwareProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize(json, HardwareProfileJsonContext.Default.HardwareProfile);
        }
        catch (JsonException e)
        {
            throw new ProfileException(e.Path ?? "$", e.Message);
        }
        if (profile is null) throw new ProfileException("$", "the profile is empty");
        Validate(profile);
        return profile;
    }

    /// <summary>Refuses impossible or unsafe values, naming the field.</summary>
    public static void Validate(HardwareProfile p)
    {
        Require(!string.IsNullOrWhiteSpace(p.Name), "name", "is required");
        Require(p.Architecture is "arm64" or "x64", "architecture", "must be \"arm64\" or \"x64\"");
        Require(p.MemoryBudgetMib is >= 16 and <= 65536, "memory_budget_mib", "must be 16..65536");
        Require(p.GcHeapLimitMib >= 4 && p.GcHeapLimitMib < p.MemoryBudgetMib, "gc_heap_limit_mib", "must be at least 4 and below memory_budget_mib");
        Require(p.History.MaxTerminals is >= 1 and <= 4096, "history.max_terminals", "must be 1..4096");
        Require(p.History.RecentEventsPerTerminal is >= 8 and <= 4096, "history.recent_events_per_terminal", "must be 8..4096");
        RequirePowerOfTwo(p.History.CardCapacity, 64, 1 << 22, "history.card_capacity");
        RequirePowerOfTwo(p.History.BinCapacity, 16, 1 << 20, "history.bin_capacity");
        RequirePowerOfTwo(p.History.OperatorCapacity, 16, 1 << 16, "history.operator_capacity");
        Require(p.Scoring.IntraOpThreads is >= 1 and <= 64, "scoring.intra_op_threads", "must be 1..64");
        Require(p.Scoring.DeadlineMicroseconds is >= 100 and <= 5_000_000, "scoring.deadline_us", "must be 100..5000000");
        if (p.Scoring.ReviewThreshold is double r) Require(r is > 0 and < 1, "scoring.review_threshold", "must be a probability in (0, 1)");
        if (p.Scoring.DenyThreshold is double d) Require(d is > 0 and < 1, "scoring.deny_threshold", "must be a probability in (0, 1)");
        if (p.Scoring.ReviewThreshold is double r2 && p.Scoring.DenyThreshold is double d2)
            Require(r2 < d2, "scoring.review_threshold", "must be below scoring.deny_threshold");
        Require(p.Rules.FloorLimitMinor >= 0, "rules.floor_limit_minor", "must not be negative");
        Require(p.Rules.CardVelocity10Min is >= 1 and <= 64, "rules.card_velocity_10min", "must be 1..64");
        Require(p.Rules.DistinctCards10Min is >= 2 and <= 4096, "rules.distinct_cards_10min", "must be 2..4096");
        Require(p.Service.MaxConnections is >= 1 and <= 4096, "service.max_connections", "must be 1..4096");
        Require(p.Service.MaxFrameBytes is >= 256 and <= 1 << 20, "service.max_frame_bytes", "must be 256..1048576");
        Require(p.Service.ReadTimeoutMs is >= 10 and <= 600_000, "service.read_timeout_ms", "must be 10..600000");
        Require(p.Service.IdleTimeoutMs >= p.Service.ReadTimeoutMs, "service.idle_timeout_ms", "must be at least service.read_timeout_ms");
        Require(p.Audit.SegmentBytes is >= 64 * 1024 and <= 1L << 32, "audit.segment_bytes", "must be 64 KiB..4 GiB");
        Require(p.Audit.MaxTotalBytes >= 2 * p.Audit.SegmentBytes, "audit.max_total_bytes", "must hold at least two segments");
        Require(p.Audit.Durability is "fsync-each-record" or "group-commit", "audit.durability", "must be \"fsync-each-record\" or \"group-commit\"");
        if (p.Audit.Durability == "group-commit")
            Require(p.Audit.GroupCommitMs is >= 1 and <= 10_000, "audit.group_commit_ms", "must be 1..10000 for group commit");
    }

    private static void RequirePowerOfTwo(int value, int min, int max, string field) =>
        Require(value >= min && value <= max && BitOperations.IsPow2(value), field, $"must be a power of two in {min}..{max}");

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw new ProfileException(field, message);
    }
}
