using System.Globalization;
using FraudEdge.Core.Events;

namespace FraudEdge.Data.Import;

/// <summary>Lenient-but-exact parsers for CSV cells: each either understands the value or says why not.</summary>
internal static class FieldParsers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>ISO 8601 (a value without offset is UTC), or Unix epoch seconds / milliseconds.</summary>
    public static bool TryTimestamp(string text, out long utcMs)
    {
        utcMs = 0;
        if (long.TryParse(text, NumberStyles.Integer, Inv, out long epoch))
        {
            utcMs = Math.Abs(epoch) >= 100_000_000_000L ? epoch : epoch * 1000;
            return true;
        }
        if (DateTimeOffset.TryParse(text, Inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var dto))
        {
            utcMs = dto.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }

    /// <summary>ISO 4217 minor-unit exponent; 2 when the currency is unknown or not listed.</summary>
    public static int CurrencyExponent(ushort currency) => currency switch
    {
        392 or 410 or 352 or 152 or 704 or 950 or 952 or 953 or 108 or 174 or 262 or 324 or 548 or 600 or 646 or 800 or 990 => 0,
        48 or 368 or 400 or 414 or 434 or 512 or 788 => 3,
        _ => 2,
    };

    /// <summary>A decimal amount in major units ("12.34", "-5") converted with the currency's exponent, or minor units.</summary>
    public static bool TryAmount(string text, ushort currency, bool minorUnits, out long minor)
    {
        minor = 0;
        if (minorUnits) return long.TryParse(text, NumberStyles.AllowLeadingSign, Inv, out minor);
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, Inv, out decimal major)) return false;
        decimal scaled = major * Pow10(CurrencyExponent(currency));
        if (scaled != decimal.Truncate(scaled)) return false; // more decimals than the currency has
        if (scaled > long.MaxValue / 2 || scaled < long.MinValue / 2) return false;
        minor = (long)scaled;
        return true;
    }

    private static decimal Pow10(int e) => e switch { 0 => 1m, 3 => 1000m, _ => 100m };

    public static bool TryFraud(string text, out bool fraud)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "": case "0": case "false": case "no": case "n": case "legit": case "genuine":
                fraud = false;
                return true;
            case "1": case "true": case "yes": case "y": case "fraud":
                fraud = true;
                return true;
            default:
                fraud = false;
                return false;
        }
    }

    public static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "1": case "true": case "yes": case "y":
                value = true;
                return true;
            case "0": case "false": case "no": case "n":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>ISO 4217 numeric, or one of the common alphabetic codes.</summary>
    public static bool TryCurrency(string text, out ushort code)
    {
        code = text.Trim().ToUpperInvariant() switch
        {
            "EUR" => 978, "USD" => 840, "GBP" => 826, "CHF" => 756, "JPY" => 392, "CNY" => 156, "PLN" => 985,
            "CZK" => 203, "SEK" => 752, "DKK" => 208, "NOK" => 578, "HUF" => 348, "CAD" => 124, "AUD" => 36,
            "KWD" => 414, "BHD" => 48,
            _ => 0,
        };
        if (code != 0) return true;
        return ushort.TryParse(text, NumberStyles.None, Inv, out code) && code is >= 1 and <= 999;
    }

    /// <summary>ISO 3166-1 numeric, or one of the common alpha-2 codes.</summary>
    public static bool TryCountry(string text, out ushort code)
    {
        code = text.Trim().ToUpperInvariant() switch
        {
            "DE" => 276, "FR" => 250, "IT" => 380, "ES" => 724, "NL" => 528, "BE" => 56, "AT" => 40, "CH" => 756,
            "GB" => 826, "IE" => 372, "PL" => 616, "CZ" => 203, "DK" => 208, "SE" => 752, "NO" => 578, "FI" => 246,
            "PT" => 620, "GR" => 300, "US" => 840, "CA" => 124, "JP" => 392, "CN" => 156, "LU" => 442, "HU" => 348,
            _ => 0,
        };
        if (code != 0) return true;
        return ushort.TryParse(text, NumberStyles.None, Inv, out code) && code is >= 1 and <= 999;
    }

    public static bool TryUInt(string text, uint max, out uint value) =>
        uint.TryParse(text, NumberStyles.None, Inv, out value) && value <= max;

    /// <summary>Exactly <paramref name="length"/> digits with a value in [min, max].</summary>
    public static bool TryDigits(string text, int length, uint min, uint max, out uint value)
    {
        value = 0;
        if (text.Length != length || !uint.TryParse(text, NumberStyles.None, Inv, out uint v) || v < min || v > max) return false;
        value = v;
        return true;
    }

    /// <summary>YYMM, MM/YY, MM/YYYY or YYYY-MM.</summary>
    public static bool TryExpiry(string text, out ushort yymm)
    {
        yymm = 0;
        string t = text.Trim();
        int year, month;
        if (t.Length == 4 && int.TryParse(t, NumberStyles.None, Inv, out int v)) { year = v / 100; month = v % 100; }
        else if (t.Length is 5 or 7 && t[2] == '/' && int.TryParse(t[..2], NumberStyles.None, Inv, out month) && int.TryParse(t[3..], NumberStyles.None, Inv, out year)) { year %= 100; }
        else if (t.Length == 7 && t[4] == '-' && int.TryParse(t[..4], NumberStyles.None, Inv, out year) && int.TryParse(t[5..], NumberStyles.None, Inv, out month)) { year %= 100; }
        else return false;
        if (month is < 1 or > 12) return false;
        yymm = (ushort)((year * 100) + month);
        return true;
    }

    /// <summary>Hexadecimal (with or without 0x, up to 10 digits: the 5-byte TVR) or decimal.</summary>
    public static bool TryTvr(string text, out ulong tvr)
    {
        string t = text.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        else if (t.Length != 10) return ulong.TryParse(t, NumberStyles.None, Inv, out tvr) && tvr < 1UL << 40;
        return ulong.TryParse(t, NumberStyles.AllowHexSpecifier, Inv, out tvr) && tvr < 1UL << 40;
    }

    public static bool TryBin(string text, out Bin bin)
    {
        bin = default;
        string t = text.Trim();
        if (t.Length is < 6 or > 8 || !uint.TryParse(t, NumberStyles.None, Inv, out uint digits)) return false;
        bin = new Bin(digits, (byte)t.Length);
        return bin.IsValid;
    }

    /// <summary>Enum member by name (case-insensitive, '_' and '-' ignored), by alias, or by number.</summary>
    public static bool TryEnum<T>(string text, IReadOnlyDictionary<string, T>? aliases, out T value) where T : struct, Enum
    {
        string key = Normalise(text);
        if (aliases is not null && aliases.TryGetValue(key, out value)) return true;
        foreach (var v in Enum.GetValues<T>())
        {
            if (Normalise(v.ToString()) == key)
            {
                value = v;
                return true;
            }
        }
        if (byte.TryParse(text.Trim(), NumberStyles.None, Inv, out byte number))
        {
            value = (T)Enum.ToObject(typeof(T), number);
            return Enum.IsDefined(value);
        }
        value = default;
        return false;
    }

    public static string Normalise(string text) => text.Trim().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
        .Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();

    public static readonly IReadOnlyDictionary<string, TransactionKind> KindAliases = new Dictionary<string, TransactionKind>
    {
        ["sale"] = TransactionKind.Purchase, ["return"] = TransactionKind.Refund, ["credit"] = TransactionKind.Refund,
        ["reversal"] = TransactionKind.Void, ["preauth"] = TransactionKind.PreAuthorization, ["capture"] = TransactionKind.Completion,
        ["cash"] = TransactionKind.CashAdvance,
    };

    public static readonly IReadOnlyDictionary<string, EntryMode> EntryAliases = new Dictionary<string, EntryMode>
    {
        ["contactless"] = EntryMode.ContactlessChip, ["magstripe"] = EntryMode.Swipe, ["fallback"] = EntryMode.ChipFallbackSwipe,
        ["keyed"] = EntryMode.KeyEntered, ["manual"] = EntryMode.KeyEntered, ["cof"] = EntryMode.CardOnFile,
    };

    public static readonly IReadOnlyDictionary<string, CardholderVerification> CvmAliases = new Dictionary<string, CardholderVerification>
    {
        ["nocvm"] = CardholderVerification.None, ["cdcvm"] = CardholderVerification.ConsumerDevice,
    };

    public static readonly IReadOnlyDictionary<string, CardScheme> SchemeAliases = new Dictionary<string, CardScheme>
    {
        ["mc"] = CardScheme.Mastercard, ["americanexpress"] = CardScheme.Amex, ["cup"] = CardScheme.UnionPay,
    };

    /// <summary>13-19 digits passing the Luhn check (ISO/IEC 7812-1): the card id column holds PANs.</summary>
    public static bool LooksLikePan(ReadOnlySpan<char> text)
    {
        if (text.Length is < 13 or > 19) return false;
        int sum = 0;
        bool doubleIt = false;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            char c = text[i];
            if (c is < '0' or > '9') return false;
            int d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
