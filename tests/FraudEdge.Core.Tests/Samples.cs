using FraudEdge.Core.Events;

namespace FraudEdge.Core.Tests;

/// <summary>Valid example events. Cards are tokens from serial numbers: no PAN appears in any test.</summary>
internal static class Samples
{
    /// <summary>2026-03-02T12:00:00Z, a Monday.</summary>
    public const long Noon = 1_772_452_800_000;

    public static CardToken Card(int serial) => new(new UInt128(0xC0FFEE, (ulong)serial * 0x9E3779B97F4A7C15UL + 1));

    public static TransactionEvent Purchase(ulong id = 1, int card = 1, long amountMinor = 2_350, long at = Noon) => new()
    {
        EventId = id,
        TerminalId = TerminalId.Parse("T0001"),
        MerchantId = MerchantId.Parse("M000000000001"),
        Lane = 1,
        OperatorId = 7,
        TimestampUtcMs = at,
        LocalOffsetMinutes = 60,
        Kind = TransactionKind.Purchase,
        AmountMinor = amountMinor,
        CurrencyCode = 978,
        MerchantCategoryCode = 5411,
        TerminalCountry = 276,
        CardToken = Card(card),
        Bin = new Bin(411111, 6),
        LastFour = 1111,
        Scheme = CardScheme.Visa,
        CardType = CardType.Debit,
        IssuerCountry = 276,
        ExpiryYyMm = 2812,
        ServiceCode = 201,
        EntryMode = EntryMode.ContactlessChip,
        Cvm = CardholderVerification.None,
        Atc = (ushort)(100 + id),
        HasAtc = true,
        Tvr = TerminalVerificationResults.None,
        Cryptogram = CryptogramType.Arqc,
        Attended = true,
    };
}
