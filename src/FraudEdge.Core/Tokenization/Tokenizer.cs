using System.Runtime.CompilerServices;
using FraudEdge.Core.Events;
using FraudEdge.Core.History;

namespace FraudEdge.Core.Tokenization;

/// <summary>
/// fe-tok-1: an event plus what the history knew just before it → 48 token ids. Position 0 is [CLS];
/// positions 1–39 hold one token per <see cref="TokenField"/> (Kind … RoundAmount) in enum order;
/// positions 40–47 hold the terminal's last four events, two tokens each (gap and card link; amount and
/// outcome), [PAD] where the terminal has fewer. Total (every valid event gives 48 ids in range),
/// deterministic (integer arithmetic only) and allocation-free. This is the only tokenizer: training
/// data is made by it (fraudedge dataset), so training and serving cannot disagree.
/// </summary>
public static class Tokenizer
{
    public const string Version = "fe-tok-1";
    public const int SequenceLength = 48;
    /// <summary>First position of the recent-event groups.</summary>
    public const int RecentStart = 40;
    public const int RecentGroupLength = 2;

    public static int VocabularySize => Vocabulary.Size;

    /// <summary>Amounts above this (50.00 in a two-decimal currency) count as "high" for no-CVM checks,
    /// in line with typical contactless CVM limits (EUR 50, GBP 100).</summary>
    internal const int CvmLimitQuarterLog2 = 49; // floor(4·log2(5000))

    public static void Tokenize(in TransactionEvent evt, in EventContext context, Span<int> tokens)
    {
        if (tokens.Length < SequenceLength) ThrowTooShort();
        tokens = tokens[..SequenceLength];
        int q = AmountScale.QuarterLog2(evt.AmountMinor);
        long localMinutes = FloorDiv(evt.TimestampUtcMs, 60_000) + evt.LocalOffsetMinutes;
        long localDays = FloorDiv(localMinutes, 1440);

        tokens[0] = Vocabulary.Cls;
        Put(tokens, TokenField.Kind, evt.Kind == TransactionKind.Unknown ? -1 : (int)evt.Kind - 1);
        Put(tokens, TokenField.AmountBucket, Math.Clamp((q - 16) / 3, 0, 23));
        Put(tokens, TokenField.AmountVsUsual, AmountVsUsual(q, context.CardUsualAmountLog));
        Put(tokens, TokenField.LocalHour, (int)(FloorMod(localMinutes, 1440) / 60));
        Put(tokens, TokenField.Weekday, (int)FloorMod(localDays + 3, 7)); // 1970-01-01 was a Thursday
        int group = MerchantGroups.Of(evt.MerchantCategoryCode);
        Put(tokens, TokenField.MerchantGroup, group);
        Put(tokens, TokenField.EntryMode, evt.EntryMode == EntryMode.Unknown ? -1 : (int)evt.EntryMode - 1);
        Put(tokens, TokenField.EntryVsChip, EntryVsChip(evt));
        Put(tokens, TokenField.Cvm, evt.Cvm == CardholderVerification.Unknown ? -1 : (int)evt.Cvm - 1);
        Put(tokens, TokenField.CvmVsAmount, CvmVsAmount(evt, q));
        Put(tokens, TokenField.ForeignCard, evt.IssuerCountry == 0 ? -1 : evt.IssuerCountry == evt.TerminalCountry ? 0 : 1);
        Put(tokens, TokenField.CardType, (int)evt.CardType - 1);
        Put(tokens, TokenField.Scheme, (int)evt.Scheme - 1);
        Put(tokens, TokenField.AtcDelta, AtcDelta(evt, context));
        ulong tvr = (ulong)evt.Tvr;
        Put(tokens, TokenField.TvrOfflineAuth, Has(tvr, TerminalVerificationResults.CardOnExceptionFile) ? 3
            : Has(tvr, TerminalVerificationResults.SdaFailed | TerminalVerificationResults.DdaFailed | TerminalVerificationResults.CdaFailed) ? 2
            : Has(tvr, TerminalVerificationResults.OfflineDataAuthenticationNotPerformed) ? 1 : 0);
        Put(tokens, TokenField.TvrCardholderVerification, Has(tvr, TerminalVerificationResults.PinTryLimitExceeded) ? 2
            : Has(tvr, TerminalVerificationResults.CardholderVerificationNotSuccessful | TerminalVerificationResults.UnrecognisedCvm) ? 1
            : Has(tvr, TerminalVerificationResults.PinNotEntered | TerminalVerificationResults.PinPadNotWorking) ? 3 : 0);
        Put(tokens, TokenField.TvrRestrictions, Has(tvr, TerminalVerificationResults.ServiceNotAllowed) ? 2
            : Has(tvr, TerminalVerificationResults.ExpiredApplication | TerminalVerificationResults.ApplicationNotYetEffective) ? 1
            : Has(tvr, TerminalVerificationResults.NewCard) ? 3 : 0);
        Put(tokens, TokenField.TvrRiskManagement, Has(tvr, TerminalVerificationResults.LowerConsecutiveOfflineLimitExceeded | TerminalVerificationResults.UpperConsecutiveOfflineLimitExceeded) ? 2
            : Has(tvr, TerminalVerificationResults.ExceedsFloorLimit) ? 1
            : Has(tvr, TerminalVerificationResults.MerchantForcedOnline | TerminalVerificationResults.RandomlySelectedForOnline) ? 3 : 0);
        Put(tokens, TokenField.Cryptogram, (int)evt.Cryptogram);
        Put(tokens, TokenField.Attended, evt.Attended ? 1 : 0);
        Put(tokens, TokenField.CardVelocity10Min, Math.Min(context.CardEvents10Min, 4));
        Put(tokens, TokenField.CardVelocity1Hour, Bucket6(context.CardEvents1Hour));
        Put(tokens, TokenField.CardVelocity24Hours, Bucket6(context.CardEvents24Hours));
        Put(tokens, TokenField.CardDeclines24Hours, Math.Min(context.CardDeclines24Hours, 4));
        int d = context.TerminalDistinctCards10Min;
        Put(tokens, TokenField.TerminalDistinctCards10Min, d <= 1 ? 0 : d == 2 ? 1 : d <= 4 ? 2 : d <= 7 ? 3 : d <= 15 ? 4 : 5);
        int td = context.TerminalDeclines10Min;
        Put(tokens, TokenField.TerminalDeclines10Min, td <= 2 ? td : td <= 5 ? 3 : 4);
        Put(tokens, TokenField.TerminalSmallAmounts10Min, Bucket0_1_2_4_8(context.TerminalSmallAmounts10Min));
        int bd = context.BinDistinctCards10Min;
        Put(tokens, TokenField.BinDistinctCards10Min, bd <= 1 ? 0 : bd == 2 ? 1 : bd <= 4 ? 2 : bd <= 8 ? 3 : 4);
        int bx = context.BinDeclines10Min;
        Put(tokens, TokenField.BinDeclines10Min, bx <= 1 ? bx : bx <= 3 ? 2 : 3);
        Put(tokens, TokenField.CardRisk, !context.CardHotListed ? 0 : context.CardFraudLabels <= 1 ? 1 : 2);
        Put(tokens, TokenField.TerminalRisk, Bucket0_1_2_4_8(context.TerminalFraudLabels30Days));
        bool refund = evt.Kind == TransactionKind.Refund;
        Put(tokens, TokenField.RefundContext, !refund ? 0 : context.CardPurchasedHereBefore ? 1 : 2);
        int opr = context.OperatorRefunds24Hours;
        Put(tokens, TokenField.OperatorRefunds24Hours, !refund || evt.OperatorId == 0 ? 0 : opr <= 1 ? opr + 1 : opr <= 3 ? 3 : opr <= 7 ? 4 : 5);
        int opu = context.OperatorUnmatchedRefunds24Hours;
        Put(tokens, TokenField.OperatorUnmatchedRefunds24Hours, !refund || evt.OperatorId == 0 ? 0 : opu <= 1 ? opu + 1 : opu <= 3 ? 3 : 4);
        Put(tokens, TokenField.Cashback, evt.CashbackMinor == 0 ? 0 : evt.CashbackMinor <= 5000 ? 1 : 2);
        Put(tokens, TokenField.Expiry, ExpiryState(evt.ExpiryYyMm, localDays));
        Put(tokens, TokenField.SinceCardLastSeen, SinceCard(context.MsSinceCardLastSeen));
        Put(tokens, TokenField.SinceTerminalPrevious, SinceTerminal(context.MsSinceTerminalPrevious));
        long a = evt.AmountMinor;
        Put(tokens, TokenField.RoundAmount, a % 10_000 == 0 ? 0 : a % 1_000 == 0 ? 1 : a % 100 == 0 ? 2 : 3);

        ulong cardHash = evt.CardToken.Hash64;
        uint bin6 = evt.Bin.Prefix6;
        for (int k = 0; k < RecentEventBuffer.Capacity; k++)
        {
            int pos = RecentStart + k * RecentGroupLength;
            if (k >= context.RecentCount)
            {
                tokens[pos] = Vocabulary.Pad;
                tokens[pos + 1] = Vocabulary.Pad;
                continue;
            }
            ref readonly RecentEvent r = ref context.Recent[k];
            long gap = evt.TimestampUtcMs - r.TimestampUtcMs;
            int gapClass = gap < 60_000 ? 0 : gap < 600_000 ? 1 : gap < 3_600_000 ? 2 : gap < 86_400_000 ? 3 : 4;
            int link = r.CardHash == cardHash ? 0 : r.BinPrefix6 == bin6 ? 1 : 2;
            tokens[pos] = Vocabulary.Token(TokenField.RecentGapAndLink, gapClass * 3 + link);
            int rq = AmountScale.QuarterLog2(r.AmountMinor);
            int amountClass = rq < 25 ? 0 : rq < 40 ? 1 : rq < 49 ? 2 : rq < 58 ? 3 : 4; // <~76, <1024, <~5000, <~26k minor
            tokens[pos + 1] = Vocabulary.Token(TokenField.RecentAmountAndOutcome, amountClass * 4 + (int)r.Outcome);
        }
    }

    /// <summary>Sequence position of a field's token (1-based after [CLS]).</summary>
    public static int PositionOf(TokenField field) => field < TokenField.RecentGapAndLink ? 1 + (int)field : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Span<int> tokens, TokenField field, int value) =>
        tokens[1 + (int)field] = Vocabulary.Token(field, value);

    private static bool Has(ulong tvr, TerminalVerificationResults bits) => (tvr & (ulong)bits) != 0;

    private static int AmountVsUsual(int q, int usual16)
    {
        if (usual16 < 0) return 0;
        int dq = (q * 16 - usual16) / 16; // quarter-octaves above the card's usual amount
        return dq < -6 ? 1 : dq < -2 ? 2 : dq <= 2 ? 3 : dq <= 6 ? 4 : dq <= 12 ? 5 : 6;
    }

    private static int EntryVsChip(in TransactionEvent evt) => evt.EntryMode switch
    {
        EntryMode.Chip or EntryMode.ContactlessChip => 0,
        EntryMode.ContactlessMagstripe => 1,
        EntryMode.Swipe => evt.ServiceCode == 0 ? 5 : evt.IsChipCard ? 2 : 4,
        EntryMode.ChipFallbackSwipe => 3,
        EntryMode.KeyEntered => evt.Attended ? 6 : 7,
        EntryMode.CardOnFile => 8,
        _ => -1,
    };

    private static int CvmVsAmount(in TransactionEvent evt, int q)
    {
        switch (evt.Cvm)
        {
            case CardholderVerification.Unknown: return -1;
            case CardholderVerification.Failed: return 4;
            case CardholderVerification.None:
                if (q < CvmLimitQuarterLog2) return 1;
                return evt.EntryMode is EntryMode.ContactlessChip or EntryMode.ContactlessMagstripe ? 3 : 2;
            default: return 0;
        }
    }

    private static int AtcDelta(in TransactionEvent evt, in EventContext context)
    {
        if (!evt.HasAtc) return 0;
        if (context.AtcDelta == int.MinValue) return 1;
        int d = context.AtcDelta;
        return d == 0 ? 2 : d < 0 ? 3 : d == 1 ? 4 : d <= 5 ? 5 : d <= 20 ? 6 : d <= 100 ? 7 : 8;
    }

    private static int Bucket6(int n) => n <= 2 ? n : n <= 4 ? 3 : n <= 7 ? 4 : 5;

    private static int Bucket0_1_2_4_8(int n) => n <= 1 ? n : n <= 3 ? 2 : n <= 7 ? 3 : 4;

    private static int ExpiryState(ushort yymm, long localDays)
    {
        if (yymm == 0) return -1;
        CivilDate(localDays, out int year, out int month);
        int now = (year % 100) * 12 + month;
        int expiry = (yymm / 100) * 12 + yymm % 100;
        return expiry > now ? 0 : expiry == now ? 1 : 2; // a card is valid through its expiry month
    }

    private static int SinceCard(long ms) => ms < 0 ? 0 : ms < 60_000 ? 1 : ms < 600_000 ? 2 : ms < 3_600_000 ? 3
        : ms < 86_400_000 ? 4 : ms < 7 * 86_400_000L ? 5 : ms < 30 * 86_400_000L ? 6 : 7;

    private static int SinceTerminal(long ms) => ms < 0 ? 0 : ms < 10_000 ? 1 : ms < 60_000 ? 2 : ms < 600_000 ? 3 : ms < 3_600_000 ? 4 : 5;

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    /// <summary>Days since 1970-01-01 → proleptic Gregorian year and month (H. Hinnant's civil_from_days).</summary>
    internal static void CivilDate(long days, out int year, out int month)
    {
        days += 719_468;
        long era = FloorDiv(days, 146_097);
        long doe = days - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
    }

    private static void ThrowTooShort() =>
        throw new ArgumentException($"the token buffer must hold {SequenceLength} ids", "tokens");
}
