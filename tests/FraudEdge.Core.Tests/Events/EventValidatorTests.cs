using FraudEdge.Core.Events;

namespace FraudEdge.Core.Tests.Events;

public class EventValidatorTests
{
    public delegate void Mutation(ref TransactionEvent e);

    [Fact]
    public void A_realistic_event_is_valid() => Assert.True(EventValidator.Validate(Samples.Purchase()).IsValid);

    public static TheoryData<string, ValidationErrorCode> Cases() => new()
    {
        { "event_id=0", ValidationErrorCode.MissingEventId },
        { "terminal empty", ValidationErrorCode.MissingTerminalId },
        { "merchant empty", ValidationErrorCode.MissingMerchantId },
        { "timestamp 1999", ValidationErrorCode.TimestampOutOfRange },
        { "timestamp 2100", ValidationErrorCode.TimestampOutOfRange },
        { "offset +15h", ValidationErrorCode.LocalOffsetOutOfRange },
        { "kind 99", ValidationErrorCode.UndefinedKind },
        { "amount -1", ValidationErrorCode.NegativeAmount },
        { "amount 0 purchase", ValidationErrorCode.ZeroAmount },
        { "amount 10^12", ValidationErrorCode.AmountTooLarge },
        { "cashback > amount", ValidationErrorCode.CashbackOutOfRange },
        { "cashback negative", ValidationErrorCode.CashbackOutOfRange },
        { "cashback on refund", ValidationErrorCode.CashbackNotAllowed },
        { "currency 0", ValidationErrorCode.InvalidCurrency },
        { "currency 1000", ValidationErrorCode.InvalidCurrency },
        { "mcc 0", ValidationErrorCode.InvalidMerchantCategoryCode },
        { "mcc 10000", ValidationErrorCode.InvalidMerchantCategoryCode },
        { "terminal country 0", ValidationErrorCode.InvalidTerminalCountry },
        { "card token empty", ValidationErrorCode.MissingCardToken },
        { "bin 5 digits", ValidationErrorCode.InvalidBin },
        { "bin 9 digits", ValidationErrorCode.InvalidBin },
        { "bin leading zero", ValidationErrorCode.InvalidBin },
        { "last four 10000", ValidationErrorCode.InvalidLastFour },
        { "scheme 200", ValidationErrorCode.UndefinedScheme },
        { "card type 9", ValidationErrorCode.UndefinedCardType },
        { "issuer country 1000", ValidationErrorCode.InvalidIssuerCountry },
        { "expiry month 13", ValidationErrorCode.InvalidExpiry },
        { "expiry month 0", ValidationErrorCode.InvalidExpiry },
        { "service code 2 digits", ValidationErrorCode.InvalidServiceCode },
        { "entry mode 42", ValidationErrorCode.UndefinedEntryMode },
        { "cvm 42", ValidationErrorCode.UndefinedCvm },
        { "atc without flag", ValidationErrorCode.AtcWithoutFlag },
        { "tvr 41 bits", ValidationErrorCode.InvalidTvr },
        { "cryptogram 9", ValidationErrorCode.UndefinedCryptogram },
        { "cryptogram on swipe", ValidationErrorCode.CryptogramWithoutChip },
    };

    private static readonly Dictionary<string, Mutation> Mutations = new()
    {
        ["event_id=0"] = (ref TransactionEvent e) => e.EventId = 0,
        ["terminal empty"] = (ref TransactionEvent e) => e.TerminalId = default,
        ["merchant empty"] = (ref TransactionEvent e) => e.MerchantId = default,
        ["timestamp 1999"] = (ref TransactionEvent e) => e.TimestampUtcMs = 915_148_800_000,
        ["timestamp 2100"] = (ref TransactionEvent e) => e.TimestampUtcMs = EventValidator.MaxTimestampUtcMs,
        ["offset +15h"] = (ref TransactionEvent e) => e.LocalOffsetMinutes = 900,
        ["kind 99"] = (ref TransactionEvent e) => e.Kind = (TransactionKind)99,
        ["amount -1"] = (ref TransactionEvent e) => e.AmountMinor = -1,
        ["amount 0 purchase"] = (ref TransactionEvent e) => e.AmountMinor = 0,
        ["amount 10^12"] = (ref TransactionEvent e) => e.AmountMinor = 1_000_000_000_000,
        ["cashback > amount"] = (ref TransactionEvent e) => e.CashbackMinor = e.AmountMinor + 1,
        ["cashback negative"] = (ref TransactionEvent e) => e.CashbackMinor = -5,
        ["cashback on refund"] = (ref TransactionEvent e) => { e.Kind = TransactionKind.Refund; e.CashbackMinor = 100; },
        ["currency 0"] = (ref TransactionEvent e) => e.CurrencyCode = 0,
        ["currency 1000"] = (ref TransactionEvent e) => e.CurrencyCode = 1000,
        ["mcc 0"] = (ref TransactionEvent e) => e.MerchantCategoryCode = 0,
        ["mcc 10000"] = (ref TransactionEvent e) => e.MerchantCategoryCode = 10_000,
        ["terminal country 0"] = (ref TransactionEvent e) => e.TerminalCountry = 0,
        ["card token empty"] = (ref TransactionEvent e) => e.CardToken = default,
        ["bin 5 digits"] = (ref TransactionEvent e) => e.Bin = new Bin(41111, 5),
        ["bin 9 digits"] = (ref TransactionEvent e) => e.Bin = new Bin(411111111, 9),
        ["bin leading zero"] = (ref TransactionEvent e) => e.Bin = new Bin(11111, 6),
        ["last four 10000"] = (ref TransactionEvent e) => e.LastFour = 10_000,
        ["scheme 200"] = (ref TransactionEvent e) => e.Scheme = (CardScheme)200,
        ["card type 9"] = (ref TransactionEvent e) => e.CardType = (CardType)9,
        ["issuer country 1000"] = (ref TransactionEvent e) => e.IssuerCountry = 1000,
        ["expiry month 13"] = (ref TransactionEvent e) => e.ExpiryYyMm = 2813,
        ["expiry month 0"] = (ref TransactionEvent e) => e.ExpiryYyMm = 2800,
        ["service code 2 digits"] = (ref TransactionEvent e) => e.ServiceCode = 20,
        ["entry mode 42"] = (ref TransactionEvent e) => e.EntryMode = (EntryMode)42,
        ["cvm 42"] = (ref TransactionEvent e) => e.Cvm = (CardholderVerification)42,
        ["atc without flag"] = (ref TransactionEvent e) => e.HasAtc = false,
        ["tvr 41 bits"] = (ref TransactionEvent e) => e.Tvr = (TerminalVerificationResults)(1UL << 40),
        ["cryptogram 9"] = (ref TransactionEvent e) => e.Cryptogram = (CryptogramType)9,
        ["cryptogram on swipe"] = (ref TransactionEvent e) => e.EntryMode = EntryMode.Swipe,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_impossible_value_is_refused_with_its_code(string mutation, ValidationErrorCode expected)
    {
        var evt = Samples.Purchase();
        Mutations[mutation](ref evt);
        var result = EventValidator.Validate(evt);
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Code);
        Assert.False(string.IsNullOrEmpty(result.Field));
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Fact]
    public void Every_rule_has_a_test_case()
    {
        var tested = new HashSet<ValidationErrorCode>();
        foreach (var row in Cases()) tested.Add((ValidationErrorCode)row[1]);
        foreach (ValidationErrorCode code in Enum.GetValues<ValidationErrorCode>())
        {
            if (code is ValidationErrorCode.None or ValidationErrorCode.TimestampOutOfSequence || (int)code >= 150) continue; // tested separately
            Assert.Contains(code, tested);
        }
    }

    [Fact]
    public void Timestamp_far_from_the_terminals_previous_is_refused()
    {
        var evt = Samples.Purchase();
        Assert.True(EventValidator.Validate(evt, evt.TimestampUtcMs - 3_600_000).IsValid);
        Assert.Equal(ValidationErrorCode.TimestampOutOfSequence,
            EventValidator.Validate(evt, evt.TimestampUtcMs + EventValidator.MaxBackwardSkewMs + 1).Code);
        Assert.Equal(ValidationErrorCode.TimestampOutOfSequence,
            EventValidator.Validate(evt, evt.TimestampUtcMs - EventValidator.MaxForwardJumpMs - 1).Code);
    }

    [Fact]
    public void Void_may_have_zero_amount_and_unknown_fields_are_valid()
    {
        var evt = Samples.Purchase();
        evt.Kind = TransactionKind.Void;
        evt.AmountMinor = 0;
        evt.EntryMode = EntryMode.Unknown;
        evt.Cvm = CardholderVerification.Unknown;
        evt.ServiceCode = 0;
        evt.ExpiryYyMm = 0;
        evt.IssuerCountry = 0;
        Assert.True(EventValidator.Validate(evt).IsValid);
    }

    [Fact]
    public void Messages_never_echo_values()
    {
        var evt = Samples.Purchase();
        evt.LastFour = 12_345;
        var result = EventValidator.Validate(evt);
        Assert.DoesNotContain("12345", result.ToString());
    }
}

public class NoticeValidationTests
{
    private static OutcomeNotice Notice() => new()
    {
        EventId = 1, TerminalId = TerminalId.Parse("T0001"), CardToken = Samples.Card(1), TimestampUtcMs = Samples.Noon,
        Kind = OutcomeKind.IssuerResponse, ResponseCode = OutcomeNotice.PackResponseCode("05"),
    };

    [Fact]
    public void Valid_notice() => Assert.True(EventValidator.Validate(Notice()).IsValid);

    [Fact]
    public void Undefined_kind()
    {
        var n = Notice();
        n.Kind = (OutcomeKind)77;
        Assert.Equal(ValidationErrorCode.UndefinedOutcomeKind, EventValidator.Validate(n).Code);
    }

    [Fact]
    public void Response_code_must_be_alphanumeric()
    {
        var n = Notice();
        n.ResponseCode = 0x0A0A;
        Assert.Equal(ValidationErrorCode.InvalidResponseCode, EventValidator.Validate(n).Code);
    }

    [Fact]
    public void Fraud_label_carries_no_response_code()
    {
        var n = Notice();
        n.Kind = OutcomeKind.FraudReported;
        Assert.Equal(ValidationErrorCode.ResponseCodeNotAllowed, EventValidator.Validate(n).Code);
    }

    [Fact]
    public void Approval_codes()
    {
        var n = Notice();
        n.ResponseCode = OutcomeNotice.PackResponseCode("00");
        Assert.True(n.IsApproved);
        n.ResponseCode = OutcomeNotice.PackResponseCode("51");
        Assert.False(n.IsApproved);
    }
}
