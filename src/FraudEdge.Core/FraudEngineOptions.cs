using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using Microsoft.Extensions.Logging;

namespace FraudEdge.Core;

/// <summary>How to build a <see cref="FraudEngine"/>. Every property has a safe default.</summary>
public sealed class FraudEngineOptions
{
    /// <summary>Hardware profile; default: the embedded <see cref="HardwareProfiles.DefaultName"/>.</summary>
    public HardwareProfile? Profile { get; init; }

    /// <summary>A model bundle folder; null loads the shipped bundle embedded in FraudEdge.Core.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Run on rules alone (no model). For tests and for comparing the model against the rules.</summary>
    public bool RulesOnly { get; init; }

    /// <summary>
    /// Keys a bundle's manifest must be signed with. Required for <see cref="ModelDirectory"/>. When null and
    /// the embedded bundle is used, the embedded TEST key that signed it is trusted for that bundle only.
    /// Production deployments ship their own bundle signed with their own key and configure it here.
    /// </summary>
    public TrustedKeys? TrustedKeys { get; init; }

    /// <summary>Restore history from this snapshot at start-up (ignored, with a warning, when invalid).</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>
    /// Append every decision, outcome notice and model change to this audit log (docs/audit-log.md). Null: no
    /// audit log, behaviour unchanged. <see cref="AuditLogOptions.FromProfile"/> takes sizes and durability from
    /// the profile's "audit" section. A corrupt log refuses the engine's start; a failed write fails the call.
    /// </summary>
    public AuditLogOptions? Audit { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }
}
