namespace FraudEdge.Service.Configuration;

/// <summary>The short command-line switches and where they land in the configuration.</summary>
internal static class CommandLine
{
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--socket"] = "FraudEdge:SocketPath",
        ["--profile"] = "FraudEdge:Profile",
        ["--model"] = "FraudEdge:ModelDirectory",
        ["--trusted-key"] = "FraudEdge:TrustedKeys:0",
        ["--snapshot"] = "FraudEdge:SnapshotPath",
        ["--audit"] = "FraudEdge:AuditDirectory",
        ["--audit-signing-key"] = "FraudEdge:AuditSigningKey",
        ["--allow-uid"] = "FraudEdge:AllowedUids:0",
        ["--allow-gid"] = "FraudEdge:AllowedGids:0",
        ["--memory-budget-mib"] = "FraudEdge:MemoryBudgetMib",
        ["--cpus"] = "FraudEdge:Cpus",
        ["--receive-spin-us"] = "FraudEdge:ReceiveSpinMicroseconds",
    };

    public const string Usage = """
        fraudedged — FraudEdge decision service for POS devices (docs/protocol.md, docs/operations.md)

        usage: fraudedged [--config FILE] [--socket PATH] [--profile NAME|FILE] [--model DIR --trusted-key PEM]
                          [--snapshot FILE] [--audit DIR] [--audit-signing-key PEM] [--rules-only]
                          [--allow-uid UID] [--allow-gid GID] [--memory-budget-mib N] [--cpus LIST]
                          [--receive-spin-us N]

          --config FILE      JSON configuration (section "FraudEdge"); default /etc/fraudedge/fraudedged.json if present
          --socket PATH      Unix socket to serve (default /run/fraudedge/fraudedged.sock), mode 0660
          --profile X        hardware profile: entry-a53 (default), mid-a55, store-x64, or a JSON file
          --model DIR        signed model bundle folder (default: the bundle embedded in the binary)
          --trusted-key PEM  public key the bundle must be signed with (required with --model)
          --snapshot FILE    history snapshot to restore at start and write periodically and at stop
          --audit DIR        audit log folder (default /var/lib/fraudedge/audit; docs/audit-log.md)
          --audit-signing-key PEM  P-256 private key that signs each audit segment's checkpoint
          --rules-only       decide by the EMV-style rules only
          --allow-uid UID    also serve peers with this uid (the service's own uid is always served)
          --allow-gid GID    also serve peers with this primary gid
          --memory-budget-mib N  this device's memory budget instead of the profile's (start-up check, load shedding)
          --cpus LIST        run on these CPUs only (1, 0-1, 0,2): e.g. the one that takes the storage interrupt
          --receive-spin-us N  while requests come back to back, poll this long for the next before sleeping (default 200; 0 = off)
        The GC is configured from the profile (heap hard limit, conserve memory, workstation, non-concurrent): the
        service re-executes itself once with those DOTNET_ variables unless the environment already sets them.
        SIGHUP reloads the model bundle from --model; SIGTERM drains connections and stops.
        """;

    /// <summary>Turns flag-only switches into key=value pairs the configuration provider understands.</summary>
    public static string[] Normalise(string[] args)
    {
        var result = new List<string>(args.Length + 1);
        foreach (string arg in args)
        {
            if (arg == "--rules-only") { result.Add("--FraudEdge:RulesOnly=true"); continue; }
            result.Add(arg);
        }
        return [.. result];
    }

    /// <summary>The --config value, removed from the arguments.</summary>
    public static string? TakeConfigFile(ref string[] args)
    {
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] != "--config") continue;
            string path = args[i + 1];
            args = [.. args[..i], .. args[(i + 2)..]];
            return path;
        }
        return null;
    }
}
