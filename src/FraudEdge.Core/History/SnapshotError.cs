namespace FraudEdge.Core.History;

/// <summary>Why a history snapshot was not used. The engine then starts with empty history.</summary>
public enum SnapshotError : byte
{
    None = 0,
    Missing = 1,
    Truncated = 2,
    BadMagic = 3,
    UnsupportedVersion = 4,
    CapacityMismatch = 5,
    LayoutMismatch = 6,
    ChecksumMismatch = 7,
    InvariantViolated = 8,
    IoError = 9,
}
