namespace FraudEdge.Core.Events;

/// <summary>
/// The bits of the Terminal Verification Results (EMV tag 95, 5 bytes; EMV Book 3 Annex C5) that the
/// tokenizer uses. Values are the bit positions in the 40-bit big-endian TVR: byte 1 bit 8 = bit 39.
/// </summary>
[Flags]
public enum TerminalVerificationResults : ulong
{
    None = 0,
    // Byte 1: offline data authentication.
    OfflineDataAuthenticationNotPerformed = 1UL << 39,
    SdaFailed = 1UL << 38,
    IccDataMissing = 1UL << 37,
    CardOnExceptionFile = 1UL << 36,
    DdaFailed = 1UL << 35,
    CdaFailed = 1UL << 34,
    // Byte 2: processing restrictions.
    ExpiredApplication = 1UL << 30,
    ApplicationNotYetEffective = 1UL << 29,
    ServiceNotAllowed = 1UL << 28,
    NewCard = 1UL << 27,
    // Byte 3: cardholder verification.
    CardholderVerificationNotSuccessful = 1UL << 23,
    UnrecognisedCvm = 1UL << 22,
    PinTryLimitExceeded = 1UL << 21,
    PinPadNotWorking = 1UL << 20,
    PinNotEntered = 1UL << 19,
    OnlinePinEntered = 1UL << 18,
    // Byte 4: terminal risk management.
    ExceedsFloorLimit = 1UL << 15,
    LowerConsecutiveOfflineLimitExceeded = 1UL << 14,
    UpperConsecutiveOfflineLimitExceeded = 1UL << 13,
    RandomlySelectedForOnline = 1UL << 12,
    MerchantForcedOnline = 1UL << 11,
}
