namespace FraudEdge.Core.Audit;

/// <summary>When an appended record reaches stable storage (profile field audit.durability).</summary>
public enum AuditDurability
{
    /// <summary>"fsync-each-record": write + fsync before the append returns. Nothing acknowledged is lost.</summary>
    FsyncEachRecord = 1,
    /// <summary>
    /// "group-commit": write now (the kernel has it, so a process crash loses nothing), fsync at most every
    /// group_commit_ms from a background thread. A power loss may lose the last group_commit_ms of records.
    /// </summary>
    GroupCommit = 2,
}
