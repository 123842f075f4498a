using System.Text;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Core.Policy;

/// <summary>Derives reason codes from fe-tok-1 tokens and names them for people and the wire.</summary>
public static class ReasonCodes
{
    public static ReasonCode FromTokens(ReadOnlySpan<int> tokens)
    {
        ReasonCode r = ReasonCode.None;
        int entry = Value(tokens, TokenField.EntryVsChip);
        if (entry is 2 or 3) r |= ReasonCode.ChipFallbackSwipe;                 // chip card swiped, declared fallback
        if (entry is 6 or 7) r |= ReasonCode.KeyedEntry;
        // Many cards alone is a busy lane; many cards of one BIN range, or with small amounts or declines, is testing.
        if (Value(tokens, TokenField.BinDistinctCards10Min) >= 3
            || (Value(tokens, TokenField.TerminalDistinctCards10Min) >= 3
                && (Value(tokens, TokenField.TerminalSmallAmounts10Min) >= 3 || Value(tokens, TokenField.TerminalDeclines10Min) >= 2)))
            r |= ReasonCode.CardTestingBurst;
        if (Value(tokens, TokenField.CardVelocity10Min) >= 3 || Value(tokens, TokenField.CardVelocity1Hour) >= 4)
            r |= ReasonCode.CardVelocity;
        if (Value(tokens, TokenField.AmountVsUsual) >= 5) r |= ReasonCode.AmountUnusualForCard;
        if (MerchantGroups.IsHighRisk(Value(tokens, TokenField.MerchantGroup))) r |= ReasonCode.HighRiskMcc;
        if (Value(tokens, TokenField.AtcDelta) is 2 or 3 or 8) r |= ReasonCode.AtcAnomaly; // repeat, backwards, jump > 100
        if (Value(tokens, TokenField.RefundContext) == 2 || Value(tokens, TokenField.OperatorUnmatchedRefunds24Hours) >= 3)
            r |= ReasonCode.RefundAnomaly;
        if (Value(tokens, TokenField.ForeignCard) == 1) r |= ReasonCode.ForeignCard;
        if (Value(tokens, TokenField.CvmVsAmount) is 2 or 3) r |= ReasonCode.NoCvmHighAmount;
        if (Value(tokens, TokenField.CardRisk) >= 1) r |= ReasonCode.HotListedCard;
        if (Value(tokens, TokenField.CardDeclines24Hours) >= 2) r |= ReasonCode.CardDeclines;
        if (Value(tokens, TokenField.LocalHour) is >= 1 and <= 4) r |= ReasonCode.UnusualHour;
        if (Value(tokens, TokenField.TvrOfflineAuth) is 2 or 3) r |= ReasonCode.OfflineAuthFailed;
        if (Value(tokens, TokenField.CvmVsAmount) == 4 || Value(tokens, TokenField.TvrCardholderVerification) is 1 or 2)
            r |= ReasonCode.CvmFailed;
        if (Value(tokens, TokenField.TerminalRisk) >= 3) r |= ReasonCode.TerminalRisk; // ≥ 4 fraud labels in 30 days
        return r;
    }

    /// <summary>Upper-snake names ("CHIP_FALLBACK_SWIPE"), as docs/protocol.md and the audit tools print them.</summary>
    public static string Name(ReasonCode single) => single switch
    {
        ReasonCode.ChipFallbackSwipe => "CHIP_FALLBACK_SWIPE",
        ReasonCode.KeyedEntry => "KEYED_ENTRY",
        ReasonCode.CardTestingBurst => "CARD_TESTING_BURST",
        ReasonCode.CardVelocity => "CARD_VELOCITY",
        ReasonCode.AmountUnusualForCard => "AMOUNT_UNUSUAL_FOR_CARD",
        ReasonCode.HighRiskMcc => "HIGH_RISK_MCC",
        ReasonCode.AtcAnomaly => "ATC_ANOMALY",
        ReasonCode.RefundAnomaly => "REFUND_ANOMALY",
        ReasonCode.ForeignCard => "FOREIGN_CARD",
        ReasonCode.NoCvmHighAmount => "NO_CVM_HIGH_AMOUNT",
        ReasonCode.HotListedCard => "HOT_LISTED_CARD",
        ReasonCode.CardDeclines => "CARD_DECLINES",
        ReasonCode.UnusualHour => "UNUSUAL_HOUR",
        ReasonCode.OfflineAuthFailed => "OFFLINE_AUTH_FAILED",
        ReasonCode.CvmFailed => "CVM_FAILED",
        ReasonCode.TerminalRisk => "TERMINAL_RISK",
        ReasonCode.FloorLimitExceeded => "FLOOR_LIMIT_EXCEEDED",
        ReasonCode.ModelUnavailable => "MODEL_UNAVAILABLE",
        ReasonCode.ModelDeadlineExceeded => "MODEL_DEADLINE_EXCEEDED",
        ReasonCode.ModelError => "MODEL_ERROR",
        _ => "UNKNOWN",
    };

    public static string Format(ReasonCode codes)
    {
        if (codes == ReasonCode.None) return "";
        var sb = new StringBuilder();
        for (int bit = 0; bit < 64; bit++)
        {
            var single = (ReasonCode)(1UL << bit);
            if ((codes & single) == 0) continue;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(Name(single));
        }
        return sb.ToString();
    }

    private static int Value(ReadOnlySpan<int> tokens, TokenField field)
    {
        int token = tokens[Tokenizer.PositionOf(field)];
        return token == Vocabulary.Unk ? -1 : token - Vocabulary.Base(field);
    }
}
