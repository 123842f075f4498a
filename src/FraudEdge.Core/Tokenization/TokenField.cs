namespace FraudEdge.Core.Tokenization;

/// <summary>
/// The fields of fe-tok-1, in vocabulary order. Each field owns a contiguous id range; see
/// <see cref="Vocabulary"/> and docs/tokenizer.md. Appending a field or a value is a new tokenizer version.
/// </summary>
public enum TokenField : byte
{
    Kind, AmountBucket, AmountVsUsual, LocalHour, Weekday, MerchantGroup, EntryMode, EntryVsChip, Cvm, CvmVsAmount,
    ForeignCard, CardType, Scheme, AtcDelta, TvrOfflineAuth, TvrCardholderVerification, TvrRestrictions, TvrRiskManagement,
    Cryptogram, Attended, CardVelocity10Min, CardVelocity1Hour, CardVelocity24Hours, CardDeclines24Hours,
    TerminalDistinctCards10Min, TerminalDeclines10Min, TerminalSmallAmounts10Min, BinDistinctCards10Min, BinDeclines10Min,
    CardRisk, TerminalRisk, RefundContext, OperatorRefunds24Hours, OperatorUnmatchedRefunds24Hours, Cashback, Expiry,
    SinceCardLastSeen, SinceTerminalPrevious, RoundAmount, RecentGapAndLink, RecentAmountAndOutcome,
}
