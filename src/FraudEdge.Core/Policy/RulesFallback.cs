using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Policy;

/// <summary>
/// The decision when the model cannot give one, in the spirit of EMV Book 3 §10.6 terminal risk
/// management: exception file (hot list), floor limit, velocity checking — plus the card-testing burst a
/// terminal sees. Deliberately conservative: it denies only on hard evidence and sends the rest above the
/// floor limit with a weak cardholder-presence signal (keyed, no CVM) to review rather than guessing.
/// </summary>
public sealed class RulesFallback(RuleLimits limits)
{
    /// <summary>Fixed scores for rule verdicts, aligned with <see cref="DecisionPolicy.RiskScore"/>'s bands.</summary>
    public const byte AllowScore = 10, ReviewScore = 60, DenyScore = 90;

    public Verdict Decide(in TransactionEvent evt, in EventContext context, out ReasonCode hits)
    {
        hits = ReasonCode.None;
        if (context.CardHotListed) hits |= ReasonCode.HotListedCard;
        // A busy lane sees many cards too: card testing is many cards *and* small amounts or declines.
        bool burst = context.TerminalDistinctCards10Min + 1 >= limits.DistinctCards10Min
            && (context.TerminalSmallAmounts10Min * 2 >= limits.DistinctCards10Min || context.TerminalDeclines10Min >= 2);
        if (burst) hits |= ReasonCode.CardTestingBurst;
        if (context.CardEvents10Min + 1 > limits.CardVelocity10Min) hits |= ReasonCode.CardVelocity;
        bool overFloor = evt.AmountMinor > limits.FloorLimitMinor;
        if (overFloor) hits |= ReasonCode.FloorLimitExceeded;
        if (evt.EntryMode == EntryMode.ChipFallbackSwipe || (evt.EntryMode == EntryMode.Swipe && evt.IsChipCard))
            hits |= ReasonCode.ChipFallbackSwipe;
        if (evt.HasAtc && context.AtcDelta != int.MinValue && context.AtcDelta <= 0) hits |= ReasonCode.AtcAnomaly;

        if (context.CardHotListed || (burst && context.TerminalDeclines10Min >= 3) || (hits & ReasonCode.AtcAnomaly) != 0)
            return Verdict.Deny;
        // Above the floor limit a terminal goes online anyway (EMV): that alone is no reason to stop the sale.
        // Combined with a weak card-present signal, it is.
        bool weakPresence = evt.EntryMode is EntryMode.KeyEntered || evt.Cvm is CardholderVerification.None or CardholderVerification.Failed;
        if ((hits & (ReasonCode.CardTestingBurst | ReasonCode.CardVelocity | ReasonCode.ChipFallbackSwipe)) != 0 || (overFloor && weakPresence))
            return Verdict.Review;
        return Verdict.Allow;
    }

    public static byte ScoreFor(Verdict verdict) => verdict switch
    {
        Verdict.Deny => DenyScore,
        Verdict.Review => ReviewScore,
        _ => AllowScore,
    };
}
