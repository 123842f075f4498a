namespace FraudEdge.Core.Audit;

/// <summary>Why a <see cref="AuditRecordType.ModelLoaded"/> record was written. Stored as one byte: never renumber.</summary>
public enum AuditModelChange : byte
{
    /// <summary>The engine started with this model (or with none: rules only).</summary>
    EngineStart = 1,
    /// <summary>A reload swapped this model in.</summary>
    Reload = 2,
}
