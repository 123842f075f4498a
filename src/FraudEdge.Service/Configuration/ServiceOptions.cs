namespace FraudEdge.Service.Configuration;

/// <summary>
/// fraudedged's configuration: section "FraudEdge" of the JSON file (--config), FRAUDEDGE_ environment
/// variables, then the command line (--socket, --profile, --model, --trusted-key, --snapshot, --rules-only).
/// </summary>
public sealed class ServiceOptions
{
    public const string Section = "FraudEdge";
    public const string DefaultSocketPath = "/run/fraudedge/fraudedged.sock";

    /// <summary>Unix socket path. Created with mode 0660; a stale socket file from a crash is replaced.</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>Hardware profile: an embedded name (entry-a53, mid-a55, store-x64) or a JSON file. Default entry-a53.</summary>
    public string? Profile { get; set; }

    /// <summary>Model bundle folder; absent = the bundle embedded in FraudEdge.Core.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>PEM public keys a folder bundle must be signed with. Required with <see cref="ModelDirectory"/>.</summary>
    public string[] TrustedKeys { get; set; } = [];

    /// <summary>Decide by the EMV-style rules only (no model).</summary>
    public bool RulesOnly { get; set; }

    /// <summary>History snapshot: restored at start, written every <see cref="SnapshotIntervalSeconds"/> and at stop.</summary>
    public string? SnapshotPath { get; set; }

    public int SnapshotIntervalSeconds { get; set; } = 300;

    /// <summary>Peers whose uid is on this list may connect (SO_PEERCRED). The service's own uid always may.</summary>
    public uint[] AllowedUids { get; set; } = [];

    /// <summary>Peers whose primary gid is on this list may connect.</summary>
    public uint[] AllowedGids { get; set; } = [];

    /// <summary>
    /// The audit log folder (docs/audit-log.md): every decision, outcome notice and model change is appended
    /// there, with the profile's segment size, total size and durability. Always on in the service.
    /// </summary>
    public string AuditDirectory { get; set; } = "/var/lib/fraudedge/audit";

    /// <summary>Optional PEM P-256 private key that signs each audit segment's checkpoint.</summary>
    public string? AuditSigningKey { get; set; }

    /// <summary>
    /// Overrides the profile's memory_budget_mib for this device (one with more or less memory to spare than its
    /// class). Start-up checks and load shedding use it; docs/operations.md "Memory budget".
    /// </summary>
    public int? MemoryBudgetMib { get; set; }

    /// <summary>
    /// CPUs to run on ("1", "0-1", "0,2"); empty = wherever the kernel schedules it. On a device whose storage
    /// interrupt goes to one CPU, pinning the service there saves a cross-CPU wake-up in every fsynced answer
    /// (docs/operations.md "CPU placement").
    /// </summary>
    public string? Cpus { get; set; }

    /// <summary>
    /// While a connection's requests come back to back, how long its thread polls for the next one after
    /// answering before it blocks, in µs; 0 = always block at once. One connection at a time, never on a single
    /// CPU (Connections/ReceiveSpin; docs/operations.md "Threads").
    /// </summary>
    public int ReceiveSpinMicroseconds { get; set; } = 200;

    /// <summary>How long a graceful stop waits for connections to drain.</summary>
    public int DrainTimeoutMs { get; set; } = 5000;
}
