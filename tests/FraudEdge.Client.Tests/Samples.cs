using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests;

/// <summary>Requests for the tests: the contactless purchase of docs/protocol.md §8.2 with a chosen event id.</summary>
internal static class Samples
{
    public static ScoreRequest Purchase(ulong eventId, long amountMinor = 1234, uint bin = 411111) => new()
    {
        EventId = eventId,
        TerminalId = Ascii16Text.Parse("T0001"),
        MerchantId = Ascii16Text.Parse("M42"),
        TimestampMs = 1_764_331_200_000,
        Kind = 1,
        AmountMinor = amountMinor,
        Currency = 978,
        MerchantCategoryCode = 5411,
        TerminalCountry = 276,
        CardToken = UInt128.Parse("00112233445566778899aabbccddeeff", System.Globalization.NumberStyles.HexNumber),
        Bin = bin,
        LastFour = 1111,
        Scheme = 1,
        CardType = 1,
        ServiceCode = 201,
        EntryMode = 2,
        Cvm = 5,
        Atc = 7,
        HasAtc = true,
        Cryptogram = 3,
        Attended = true,
    };

    /// <summary>A BIN of 5 digits: the fake service refuses it as fraudedged does (§8.4).</summary>
    public static ScoreRequest WithBadBin(ulong eventId) => Purchase(eventId, bin: 41111);

    public static OutcomeNotice IssuerApproved(ulong eventId) => new()
    {
        EventId = eventId,
        TerminalId = Ascii16Text.Parse("T0001"),
        CardToken = UInt128.Parse("00112233445566778899aabbccddeeff", System.Globalization.NumberStyles.HexNumber),
        TimestampMs = 1_764_331_201_000,
        Kind = 1,
        ResponseCode = 0x3030, // "00"
    };
}
