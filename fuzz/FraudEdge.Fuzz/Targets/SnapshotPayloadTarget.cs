namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>snapshot-payload</c>: bytes → the table payload of a snapshot, framed with the right header and a
/// correct CRC-32C (<see cref="SnapshotTarget.Frame"/>), then every check of <see cref="SnapshotTarget"/>.
/// This is the snapshot an attacker with write access to the file, or a writer bug, produces: checksummed
/// but arbitrary. It must be refused by the invariant checks or, when accepted, be safe to use — lookups,
/// ring indexing and eviction over restored rows must never throw. (CRC-32C detects corruption, not
/// tampering: SECURITY.md.)
/// </summary>
public static class SnapshotPayloadTarget
{
    public const string Name = "snapshot-payload";

    public static void Run(ReadOnlySpan<byte> input) => SnapshotTarget.Run(SnapshotTarget.Frame(input));
}
