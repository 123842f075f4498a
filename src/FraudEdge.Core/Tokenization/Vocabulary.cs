namespace FraudEdge.Core.Tokenization;

/// <summary>
/// The fe-tok-1 vocabulary: 4 special tokens, then every field's values in <see cref="TokenField"/> order.
/// Value names are the spec (docs/tokenizer.md is generated from them by `fraudedge tokenizer --doc`).
/// </summary>
public static class Vocabulary
{
    public const int Pad = 0;
    public const int Unk = 1;
    public const int Cls = 2;
    /// <summary>Used only by masked-token pretraining of the teacher; never produced by the tokenizer.</summary>
    public const int Mask = 3;
    public const int SpecialCount = 4;

    private static readonly string[][] ValueNames =
    [
        ["purchase", "refund", "void", "pre_authorization", "completion", "cash_advance"],
        Numbered("amount_q", 24),
        ["new_card", "much_lower", "lower", "usual", "higher", "much_higher", "extreme"],
        Numbered("hour_", 24),
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        ["grocery", "restaurant", "fuel", "retail", "electronics", "jewelry_luxury", "travel_lodging", "transport", "digital_gambling", "quasi_cash", "services", "other"],
        ["chip", "contactless_chip", "contactless_magstripe", "swipe", "chip_fallback_swipe", "key_entered", "card_on_file"],
        ["chip_read", "contactless_magstripe", "chip_card_swiped", "declared_fallback", "magstripe_card_swiped", "swipe_card_unknown", "keyed_attended", "keyed_unattended", "card_on_file"],
        ["none", "offline_pin", "online_pin", "signature", "consumer_device", "failed"],
        ["cvm_done", "no_cvm_low_amount", "no_cvm_high_amount", "contactless_high_without_cdcvm", "cvm_failed"],
        ["domestic", "foreign"],
        ["debit", "credit", "prepaid", "commercial"],
        ["visa", "mastercard", "amex", "discover", "jcb", "unionpay", "domestic"],
        ["no_atc", "first_atc", "repeat", "backwards", "plus_1", "plus_2_5", "plus_6_20", "plus_21_100", "jump_over_100"],
        ["ok", "not_performed", "failed", "exception_file"],
        ["ok", "not_successful", "pin_try_limit", "pin_not_entered"],
        ["ok", "expired_or_not_effective", "service_not_allowed", "new_card"],
        ["ok", "exceeds_floor_limit", "offline_limits_exceeded", "forced_online"],
        ["none", "aac", "tc", "arqc"],
        ["unattended", "attended"],
        ["0", "1", "2", "3", "4+"],
        ["0", "1", "2", "3-4", "5-7", "8"],
        ["0", "1", "2", "3-4", "5-7", "8"],
        ["0", "1", "2", "3", "4"],
        ["0-1", "2", "3-4", "5-7", "8-15", "16+"],
        ["0", "1", "2", "3-5", "6+"],
        ["0", "1", "2-3", "4-7", "8+"],
        ["0-1", "2", "3-4", "5-8", "9+"],
        ["0", "1", "2-3", "4+"],
        ["clean", "hot_listed", "hot_listed_repeat"],
        ["0", "1", "2-3", "4-7", "8+"],
        ["not_refund", "sale_here_before", "no_sale_here"],
        ["not_refund", "0", "1", "2-3", "4-7", "8"],
        ["not_refund", "0", "1", "2-3", "4+"],
        ["none", "small", "large"],
        ["valid", "expires_this_month", "expired"],
        ["first_time", "under_1min", "under_10min", "under_1h", "under_1d", "under_7d", "under_30d", "older"],
        ["first_event", "under_10s", "under_1min", "under_10min", "under_1h", "longer"],
        ["round_100", "round_10", "whole", "other"],
        Cross(["gap_under_1min", "gap_under_10min", "gap_under_1h", "gap_under_1d", "gap_longer"], ["same_card", "same_bin", "other_card"]),
        Cross(["amt_tiny", "amt_small", "amt_medium", "amt_large", "amt_very_large"], ["pending", "approved", "declined", "fraud"]),
    ];

    private static readonly int[] Bases = ComputeBases();

    /// <summary>Number of token ids: valid ids are 0 ≤ id &lt; Size.</summary>
    public static int Size { get; } = Bases[^1];

    public static int FieldCount => ValueNames.Length;

    public static int Base(TokenField field) => Bases[(int)field];

    public static int Cardinality(TokenField field) => ValueNames[(int)field].Length;

    public static IReadOnlyList<string> Values(TokenField field) => ValueNames[(int)field];

    /// <summary>The token id of <paramref name="value"/> in <paramref name="field"/>; out of range → [UNK].</summary>
    public static int Token(TokenField field, int value) =>
        (uint)value < (uint)ValueNames[(int)field].Length ? Bases[(int)field] + value : Unk;

    /// <summary>Human-readable name of a token id ("entry_vs_chip=chip_card_swiped").</summary>
    public static string Describe(int token)
    {
        if (token == Pad) return "[PAD]";
        if (token == Unk) return "[UNK]";
        if (token == Cls) return "[CLS]";
        if (token == Mask) return "[MASK]";
        for (int f = 0; f < ValueNames.Length; f++)
        {
            if (token >= Bases[f] && token < Bases[f + 1]) return $"{(TokenField)f}={ValueNames[f][token - Bases[f]]}";
        }
        return $"[INVALID {token}]";
    }

    /// <summary>The field a token belongs to, or null for special and invalid ids.</summary>
    public static TokenField? FieldOf(int token)
    {
        for (int f = 0; f < ValueNames.Length; f++)
        {
            if (token >= Bases[f] && token < Bases[f + 1]) return (TokenField)f;
        }
        return null;
    }

    private static int[] ComputeBases()
    {
        var bases = new int[ValueNames.Length + 1];
        bases[0] = SpecialCount;
        for (int f = 0; f < ValueNames.Length; f++) bases[f + 1] = bases[f] + ValueNames[f].Length;
        return bases;
    }

    private static string[] Numbered(string prefix, int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++) names[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    private static string[] Cross(string[] a, string[] b)
    {
        var names = new string[a.Length * b.Length];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++) names[i * b.Length + j] = a[i] + "/" + b[j];
        return names;
    }
}
