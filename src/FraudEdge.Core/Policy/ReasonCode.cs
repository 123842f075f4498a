namespace FraudEdge.Core.Policy;

/// <summary>
/// Why a decision came out as it did, derived from the tokens that fired (model decisions) or the rule
/// that hit (fallback). A flags set so a decision carries many without allocating. Bit positions are part
/// of the wire protocol and the audit log: never renumber, only append.
/// </summary>
[Flags]
public enum ReasonCode : ulong
{
    None = 0,
    ChipFallbackSwipe = 1UL << 0,
    KeyedEntry = 1UL << 1,
    CardTestingBurst = 1UL << 2,
    CardVelocity = 1UL << 3,
    AmountUnusualForCard = 1UL << 4,
    HighRiskMcc = 1UL << 5,
    AtcAnomaly = 1UL << 6,
    RefundAnomaly = 1UL << 7,
    ForeignCard = 1UL << 8,
    NoCvmHighAmount = 1UL << 9,
    HotListedCard = 1UL << 10,
    CardDeclines = 1UL << 11,
    UnusualHour = 1UL << 12,
    OfflineAuthFailed = 1UL << 13,
    CvmFailed = 1UL << 14,
    TerminalRisk = 1UL << 15,
    FloorLimitExceeded = 1UL << 16,
    ModelUnavailable = 1UL << 32,
    ModelDeadlineExceeded = 1UL << 33,
    ModelError = 1UL << 34,
}
