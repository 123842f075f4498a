namespace FraudEdge.Core.Events;

/// <summary>
/// One transaction as the terminal observed it, at the moment it asks for a decision. Only what a POS
/// can see: no PAN, no track data, no PIN block. The card is identified by a keyed <see cref="CardToken"/>
/// plus BIN and last four (PCI DSS req. 3.4.1 allows BIN + last four to be shown).
/// A struct with no references, so it can be passed by <c>in</c>, copied into history and decoded from
/// the wire without a managed allocation.
/// </summary>
public struct TransactionEvent
{
    /// <summary>Terminal-assigned id, unique per terminal (e.g. STAN + batch). Outcome notices refer to it.</summary>
    public ulong EventId;
    public TerminalId TerminalId;
    public MerchantId MerchantId;
    /// <summary>Checkout lane of a multi-lane store (0 when not applicable).</summary>
    public ushort Lane;
    /// <summary>Cashier / operator id (0 when unattended or unknown).</summary>
    public uint OperatorId;
    /// <summary>Terminal clock, UTC, milliseconds since the Unix epoch.</summary>
    public long TimestampUtcMs;
    /// <summary>Terminal's local offset from UTC in minutes (EMV has local date/time tags 9A/9F21).</summary>
    public short LocalOffsetMinutes;
    public TransactionKind Kind;
    /// <summary>Amount in minor units of <see cref="CurrencyCode"/> (EMV tag 9F02 semantics).</summary>
    public long AmountMinor;
    /// <summary>Cashback part of the amount, minor units (EMV tag 9F03).</summary>
    public long CashbackMinor;
    /// <summary>ISO 4217 numeric currency code, e.g. 978 EUR, 840 USD.</summary>
    public ushort CurrencyCode;
    /// <summary>Merchant category code (ISO 18245).</summary>
    public ushort MerchantCategoryCode;
    /// <summary>ISO 3166-1 numeric country of the terminal (EMV tag 9F1A).</summary>
    public ushort TerminalCountry;
    public CardToken CardToken;
    public Bin Bin;
    /// <summary>Last four PAN digits, 0–9999.</summary>
    public ushort LastFour;
    public CardScheme Scheme;
    public CardType CardType;
    /// <summary>ISO 3166-1 numeric issuer country (0 = unknown).</summary>
    public ushort IssuerCountry;
    /// <summary>Expiry as YYMM (EMV tag 5F24 without the day), e.g. 2812; 0 = unknown.</summary>
    public ushort ExpiryYyMm;
    /// <summary>Three-digit service code from track 2 / tag 5F30 (first digit 2 or 6 = chip card); 0 = unknown.</summary>
    public ushort ServiceCode;
    public EntryMode EntryMode;
    public CardholderVerification Cvm;
    /// <summary>Application Transaction Counter (EMV tag 9F36); only meaningful when <see cref="HasAtc"/>.</summary>
    public ushort Atc;
    public bool HasAtc;
    public TerminalVerificationResults Tvr;
    public CryptogramType Cryptogram;
    /// <summary>Attended (a cashier present) or unattended (kiosk, fuel pump, vending).</summary>
    public bool Attended;

    /// <summary>True when the card's service code says it carries a chip (ISO 7813: first digit 2 or 6).</summary>
    public readonly bool IsChipCard => ServiceCode / 100 is 2 or 6;
}
