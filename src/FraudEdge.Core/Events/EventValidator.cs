namespace FraudEdge.Core.Events;

/// <summary>
/// Refuses impossible values with a code, a field name and a constant message. Nothing is defaulted:
/// a value is either valid as sent or the event is rejected. "Unknown" enum members are valid because
/// imported history genuinely lacks some fields; values outside the enum are not.
/// </summary>
public static class EventValidator
{
    /// <summary>2000-01-01T00:00:00Z: no terminal in service has an older clock.</summary>
    public const long MinTimestampUtcMs = 946_684_800_000;
    /// <summary>2100-01-01T00:00:00Z.</summary>
    public const long MaxTimestampUtcMs = 4_102_444_800_000;
    /// <summary>EMV amount fields are n12: at most 999 999 999 999 minor units.</summary>
    public const long MaxAmountMinor = 999_999_999_999;
    /// <summary>A terminal clock may step back this far (NTP correction, offline batch replay order).</summary>
    public const long MaxBackwardSkewMs = 24L * 3600 * 1000;
    /// <summary>Forward jumps beyond this (a terminal offline for over a year) mean a broken clock.</summary>
    public const long MaxForwardJumpMs = 400L * 24 * 3600 * 1000;

    private const ulong TvrMask = (1UL << 40) - 1;

    /// <param name="evt">The event as received.</param>
    /// <param name="previousTimestampUtcMs">The terminal's last accepted timestamp, or 0 when none.</param>
    public static ValidationResult Validate(in TransactionEvent evt, long previousTimestampUtcMs = 0)
    {
        if (evt.EventId == 0) return Fail(ValidationErrorCode.MissingEventId, "event_id", "event id must be non-zero");
        if (evt.TerminalId.IsEmpty) return Fail(ValidationErrorCode.MissingTerminalId, "terminal_id", "terminal id is required");
        if (evt.MerchantId.IsEmpty) return Fail(ValidationErrorCode.MissingMerchantId, "merchant_id", "merchant id is required");
        if (evt.TimestampUtcMs < MinTimestampUtcMs || evt.TimestampUtcMs >= MaxTimestampUtcMs)
            return Fail(ValidationErrorCode.TimestampOutOfRange, "timestamp", "timestamp must be between 2000 and 2100 (UTC ms)");
        if (previousTimestampUtcMs != 0)
        {
            long delta = evt.TimestampUtcMs - previousTimestampUtcMs;
            if (delta < -MaxBackwardSkewMs || delta > MaxForwardJumpMs)
                return Fail(ValidationErrorCode.TimestampOutOfSequence, "timestamp", "timestamp is absurdly far from the terminal's previous event");
        }
        if (evt.LocalOffsetMinutes is < -720 or > 840)
            return Fail(ValidationErrorCode.LocalOffsetOutOfRange, "local_offset_minutes", "local offset must be within -12:00..+14:00");
        if (!DefinedValues<TransactionKind>.Contains(evt.Kind)) return Fail(ValidationErrorCode.UndefinedKind, "kind", "undefined transaction kind");
        if (evt.AmountMinor < 0) return Fail(ValidationErrorCode.NegativeAmount, "amount", "amount must not be negative; refunds use kind=refund");
        if (evt.AmountMinor == 0 && evt.Kind != TransactionKind.Void)
            return Fail(ValidationErrorCode.ZeroAmount, "amount", "amount must be positive except for a void");
        if (evt.AmountMinor > MaxAmountMinor) return Fail(ValidationErrorCode.AmountTooLarge, "amount", "amount exceeds the EMV n12 maximum");
        if (evt.CashbackMinor < 0 || evt.CashbackMinor > evt.AmountMinor)
            return Fail(ValidationErrorCode.CashbackOutOfRange, "cashback", "cashback must be between 0 and the amount");
        if (evt.CashbackMinor > 0 && evt.Kind is not (TransactionKind.Purchase or TransactionKind.Unknown))
            return Fail(ValidationErrorCode.CashbackNotAllowed, "cashback", "cashback is only allowed on a purchase");
        if (evt.CurrencyCode is 0 or > 999) return Fail(ValidationErrorCode.InvalidCurrency, "currency", "currency must be an ISO 4217 numeric code (1-999)");
        if (evt.MerchantCategoryCode is 0 or > 9999)
            return Fail(ValidationErrorCode.InvalidMerchantCategoryCode, "mcc", "merchant category code must be 1-9999");
        if (evt.TerminalCountry is 0 or > 999)
            return Fail(ValidationErrorCode.InvalidTerminalCountry, "terminal_country", "terminal country must be an ISO 3166 numeric code (1-999)");
        if (evt.CardToken.IsEmpty) return Fail(ValidationErrorCode.MissingCardToken, "card_token", "card token is required");
        if (!evt.Bin.IsValid) return Fail(ValidationErrorCode.InvalidBin, "bin", "BIN must be 6 to 8 digits with a non-zero first digit");
        if (evt.LastFour > 9999) return Fail(ValidationErrorCode.InvalidLastFour, "last_four", "last four must be 0000-9999");
        if (!DefinedValues<CardScheme>.Contains(evt.Scheme)) return Fail(ValidationErrorCode.UndefinedScheme, "scheme", "undefined card scheme");
        if (!DefinedValues<CardType>.Contains(evt.CardType)) return Fail(ValidationErrorCode.UndefinedCardType, "card_type", "undefined card type");
        if (evt.IssuerCountry > 999) return Fail(ValidationErrorCode.InvalidIssuerCountry, "issuer_country", "issuer country must be an ISO 3166 numeric code or 0");
        if (evt.ExpiryYyMm != 0 && (evt.ExpiryYyMm % 100 is 0 or > 12 || evt.ExpiryYyMm > 9912))
            return Fail(ValidationErrorCode.InvalidExpiry, "expiry", "expiry must be YYMM with month 01-12, or 0 when unknown");
        if (evt.ServiceCode != 0 && evt.ServiceCode is < 100 or > 999)
            return Fail(ValidationErrorCode.InvalidServiceCode, "service_code", "service code must be three digits, or 0 when unknown");
        if (!DefinedValues<EntryMode>.Contains(evt.EntryMode)) return Fail(ValidationErrorCode.UndefinedEntryMode, "entry_mode", "undefined POS entry mode");
        if (!DefinedValues<CardholderVerification>.Contains(evt.Cvm)) return Fail(ValidationErrorCode.UndefinedCvm, "cvm", "undefined cardholder verification method");
        if (!evt.HasAtc && evt.Atc != 0) return Fail(ValidationErrorCode.AtcWithoutFlag, "atc", "ATC sent without has_atc");
        if (((ulong)evt.Tvr & ~TvrMask) != 0) return Fail(ValidationErrorCode.InvalidTvr, "tvr", "TVR has more than 40 bits");
        if (!DefinedValues<CryptogramType>.Contains(evt.Cryptogram)) return Fail(ValidationErrorCode.UndefinedCryptogram, "cryptogram", "undefined cryptogram type");
        if (evt.Cryptogram != CryptogramType.None &&
            evt.EntryMode is EntryMode.Swipe or EntryMode.ChipFallbackSwipe or EntryMode.KeyEntered or EntryMode.CardOnFile or EntryMode.ContactlessMagstripe)
            return Fail(ValidationErrorCode.CryptogramWithoutChip, "cryptogram", "no EMV cryptogram from magstripe, keyed or card-on-file entry");
        return ValidationResult.Ok;
    }

    public static ValidationResult Validate(in OutcomeNotice notice)
    {
        if (notice.EventId == 0) return Fail(ValidationErrorCode.MissingEventId, "event_id", "event id must be non-zero");
        if (notice.TerminalId.IsEmpty) return Fail(ValidationErrorCode.MissingTerminalId, "terminal_id", "terminal id is required");
        if (notice.CardToken.IsEmpty) return Fail(ValidationErrorCode.MissingCardToken, "card_token", "card token is required");
        if (notice.TimestampUtcMs < MinTimestampUtcMs || notice.TimestampUtcMs >= MaxTimestampUtcMs)
            return Fail(ValidationErrorCode.TimestampOutOfRange, "timestamp", "timestamp must be between 2000 and 2100 (UTC ms)");
        if (!DefinedValues<OutcomeKind>.Contains(notice.Kind)) return Fail(ValidationErrorCode.UndefinedOutcomeKind, "kind", "undefined outcome kind");
        if (notice.Kind == OutcomeKind.IssuerResponse)
        {
            int hi = notice.ResponseCode >> 8, lo = notice.ResponseCode & 0xFF;
            if (!IsAlphanumeric(hi) || !IsAlphanumeric(lo))
                return Fail(ValidationErrorCode.InvalidResponseCode, "response_code", "response code must be two alphanumeric characters (DE 39)");
        }
        else if (notice.ResponseCode != 0)
        {
            return Fail(ValidationErrorCode.ResponseCodeNotAllowed, "response_code", "only an issuer response carries a response code");
        }
        return ValidationResult.Ok;
    }

    private static bool IsAlphanumeric(int c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z');

    private static ValidationResult Fail(ValidationErrorCode code, string field, string message) => new(code, field, message);
}
