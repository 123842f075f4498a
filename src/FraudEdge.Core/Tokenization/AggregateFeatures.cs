using FraudEdge.Core.Events;
using FraudEdge.Core.History;

namespace FraudEdge.Core.Tokenization;

/// <summary>
/// Hand-crafted numeric features of the same event and history, for the gradient-boosted-tree baseline
/// the model card compares against. Unbucketed counts where the tokenizer buckets; -1 for unknown.
/// </summary>
public static class AggregateFeatures
{
    private static readonly string[] FeatureNames =
    [
        "kind", "amount_quarter_log2", "amount_vs_usual_quarters", "local_hour", "weekday", "merchant_group", "high_risk_mcc",
        "entry_mode", "entry_vs_chip", "cvm", "cvm_vs_amount", "foreign_card", "card_type", "atc_delta", "tvr_offline_auth",
        "tvr_cvm", "tvr_restrictions", "tvr_risk", "cryptogram", "attended", "card_events", "card_events_10min",
        "card_events_1h", "card_events_24h", "card_declines_24h", "minutes_since_card_last_seen", "card_fraud_labels", "card_hot_listed",
        "card_purchased_here", "terminal_events_10min", "terminal_distinct_cards_10min", "terminal_declines_10min",
        "terminal_small_amounts_10min", "minutes_since_terminal_previous", "terminal_fraud_labels_30d", "bin_distinct_cards_10min",
        "bin_declines_10min", "operator_refunds_24h", "operator_unmatched_refunds_24h", "cashback_quarter_log2", "round_amount",
        "recent_same_card", "recent_same_bin", "recent_declined",
    ];

    public static IReadOnlyList<string> Names => FeatureNames;

    public static int Count => FeatureNames.Length;

    public static void Write(in TransactionEvent evt, in EventContext context, Span<float> features)
    {
        if (features.Length < FeatureNames.Length) throw new ArgumentException($"need {FeatureNames.Length} features", nameof(features));
        // The categorical fields come from the tokenizer itself so both views agree on their meaning.
        Span<int> tokens = stackalloc int[Tokenizer.SequenceLength];
        Tokenizer.Tokenize(evt, context, tokens);
        int q = AmountScale.QuarterLog2(evt.AmountMinor);
        int i = 0;
        features[i++] = Field(tokens, TokenField.Kind);
        features[i++] = q;
        features[i++] = context.CardUsualAmountLog < 0 ? float.NaN : (q * 16 - context.CardUsualAmountLog) / 16f;
        features[i++] = Field(tokens, TokenField.LocalHour);
        features[i++] = Field(tokens, TokenField.Weekday);
        int group = MerchantGroups.Of(evt.MerchantCategoryCode);
        features[i++] = group;
        features[i++] = MerchantGroups.IsHighRisk(group) ? 1 : 0;
        features[i++] = Field(tokens, TokenField.EntryMode);
        features[i++] = Field(tokens, TokenField.EntryVsChip);
        features[i++] = Field(tokens, TokenField.Cvm);
        features[i++] = Field(tokens, TokenField.CvmVsAmount);
        features[i++] = Field(tokens, TokenField.ForeignCard);
        features[i++] = Field(tokens, TokenField.CardType);
        features[i++] = context.AtcDelta == int.MinValue ? float.NaN : Math.Clamp(context.AtcDelta, -1000, 1000);
        features[i++] = Field(tokens, TokenField.TvrOfflineAuth);
        features[i++] = Field(tokens, TokenField.TvrCardholderVerification);
        features[i++] = Field(tokens, TokenField.TvrRestrictions);
        features[i++] = Field(tokens, TokenField.TvrRiskManagement);
        features[i++] = (int)evt.Cryptogram;
        features[i++] = evt.Attended ? 1 : 0;
        features[i++] = context.CardEvents;
        features[i++] = context.CardEvents10Min;
        features[i++] = context.CardEvents1Hour;
        features[i++] = context.CardEvents24Hours;
        features[i++] = context.CardDeclines24Hours;
        features[i++] = context.MsSinceCardLastSeen < 0 ? float.NaN : context.MsSinceCardLastSeen / 60_000f;
        features[i++] = context.CardFraudLabels;
        features[i++] = context.CardHotListed ? 1 : 0;
        features[i++] = context.CardPurchasedHereBefore ? 1 : 0;
        features[i++] = context.TerminalEvents10Min;
        features[i++] = context.TerminalDistinctCards10Min;
        features[i++] = context.TerminalDeclines10Min;
        features[i++] = context.TerminalSmallAmounts10Min;
        features[i++] = context.MsSinceTerminalPrevious < 0 ? float.NaN : context.MsSinceTerminalPrevious / 60_000f;
        features[i++] = context.TerminalFraudLabels30Days;
        features[i++] = context.BinDistinctCards10Min;
        features[i++] = context.BinDeclines10Min;
        features[i++] = evt.Kind == TransactionKind.Refund ? context.OperatorRefunds24Hours : -1;
        features[i++] = evt.Kind == TransactionKind.Refund ? context.OperatorUnmatchedRefunds24Hours : -1;
        features[i++] = evt.CashbackMinor == 0 ? 0 : AmountScale.QuarterLog2(evt.CashbackMinor);
        features[i++] = Field(tokens, TokenField.RoundAmount);
        int sameCard = 0, sameBin = 0, declined = 0;
        ulong cardHash = evt.CardToken.Hash64;
        for (int k = 0; k < context.RecentCount; k++)
        {
            ref readonly RecentEvent r = ref context.Recent[k];
            if (r.CardHash == cardHash) sameCard++;
            else if (r.BinPrefix6 == evt.Bin.Prefix6) sameBin++;
            if (r.Outcome == EventOutcome.Declined) declined++;
        }
        features[i++] = sameCard;
        features[i++] = sameBin;
        features[i] = declined;
    }

    /// <summary>A field's value index from its token, NaN when [UNK].</summary>
    private static float Field(ReadOnlySpan<int> tokens, TokenField field)
    {
        int token = tokens[Tokenizer.PositionOf(field)];
        return token == Vocabulary.Unk ? float.NaN : token - Vocabulary.Base(field);
    }
}
