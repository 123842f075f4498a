namespace FraudEdge.Data;

/// <summary>Stable snake_case names of <see cref="FraudTypology"/> values, as written to dataset.json and reports.</summary>
public static class FraudTypologies
{
    /// <summary>The fraud typologies in numeric order (without Legitimate and Unknown).</summary>
    public static IReadOnlyList<FraudTypology> Fraud { get; } =
    [
        FraudTypology.CardTesting, FraudTypology.SkimmedClone, FraudTypology.KeyEnteredAttended,
        FraudTypology.StolenCardSpree, FraudTypology.RefundAbuse, FraudTypology.AtcAnomaly,
        FraudTypology.ContactlessOverLimit,
    ];

    public static string Name(FraudTypology typology) => typology switch
    {
        FraudTypology.Legitimate => "legitimate",
        FraudTypology.CardTesting => "card_testing",
        FraudTypology.SkimmedClone => "skimmed_clone",
        FraudTypology.KeyEnteredAttended => "key_entered_attended",
        FraudTypology.StolenCardSpree => "stolen_card_spree",
        FraudTypology.RefundAbuse => "refund_abuse",
        FraudTypology.AtcAnomaly => "atc_anomaly",
        FraudTypology.ContactlessOverLimit => "contactless_over_limit",
        FraudTypology.Unknown => "unknown",
        _ => $"typology_{(byte)typology}",
    };

    /// <summary>True for the values a log may carry: 0..7 and 255.</summary>
    public static bool IsDefined(byte value) => value <= (byte)FraudTypology.ContactlessOverLimit || value == (byte)FraudTypology.Unknown;
}
