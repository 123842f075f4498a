using System.Globalization;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>Messages with realistic values, the doc's examples first.</summary>
internal static class Samples
{
    public static readonly UInt128 DocToken = UInt128.Parse("00112233445566778899aabbccddeeff", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>docs/protocol.md §8.2.</summary>
    public static ScoreRequest DocRequest => new()
    {
        EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), MerchantId = Ascii16Text.Parse("M42"),
        TimestampMs = 1_764_331_200_000, Kind = 1, AmountMinor = 1234, Currency = 978, MerchantCategoryCode = 5411,
        TerminalCountry = 276, CardToken = DocToken, Bin = 411111, LastFour = 1111, Scheme = 1, CardType = 1,
        ServiceCode = 201, EntryMode = 2, Cvm = 5, Atc = 7, HasAtc = true, Cryptogram = 3, Attended = true,
    };

    /// <summary>Every optional key away from its default, extreme values where the wire allows them.</summary>
    public static ScoreRequest FullRequest => new()
    {
        EventId = ulong.MaxValue, TerminalId = Ascii16Text.Parse("TERMINAL-0000001"), MerchantId = Ascii16Text.Parse("~!MERCHANT#4242~"),
        Lane = ushort.MaxValue, OperatorId = uint.MaxValue, TimestampMs = long.MinValue, LocalOffsetMinutes = short.MinValue,
        Kind = byte.MaxValue, AmountMinor = long.MaxValue, CashbackMinor = -1, Currency = 840, MerchantCategoryCode = 5999,
        TerminalCountry = 840, CardToken = UInt128.MaxValue, Bin = uint.MaxValue, LastFour = 42, Scheme = 7, CardType = 4,
        IssuerCountry = 826, ExpiryYyMm = 2712, ServiceCode = 101, EntryMode = 5, Cvm = 6, Atc = 0, HasAtc = true,
        Tvr = 0xFF_FFFF_FFFF, Cryptogram = 255, Attended = false,
    };

    /// <summary>Only the required keys, all zero or minimal.</summary>
    public static ScoreRequest MinimalRequest => new()
    {
        TerminalId = Ascii16Text.Parse("!"), MerchantId = Ascii16Text.Parse("~"), Attended = true,
    };

    /// <summary>docs/protocol.md §8.3.</summary>
    public static ScoreResponse DocResponse => new()
    {
        EventId = 12345, Verdict = 1, RiskScore = 4, Probability = 0.0123f, Reasons = 1UL << 8, Source = 1,
        ElapsedMicroseconds = 140, ModelVersion = Ascii16Text.Parse("1.0.0"),
    };

    public static ScoreResponse RulesResponse => new()
    {
        EventId = 7, Verdict = 3, RiskScore = 99, Probability = float.NaN, Reasons = 1UL << 32 | 1UL << 2, Source = 2,
        ElapsedMicroseconds = uint.MaxValue,
    };

    public static OutcomeNotice IssuerDecline => new()
    {
        EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), CardToken = DocToken, TimestampMs = 1_764_331_202_000,
        Kind = 1, ResponseCode = 0x3035, // "05" do not honour
    };

    public static OutcomeNotice FraudReport => new()
    {
        EventId = 99, TerminalId = Ascii16Text.Parse("T0002"), CardToken = UInt128.One, TimestampMs = 1_765_000_000_000, Kind = 2,
    };

    public static StatusResponse WithModel => new()
    {
        ServiceVersion = "1.4.2+abc", ProtocolVersion = 1, Profile = "entry-a53", ModelName = "fe-transformer",
        ModelVersion = "2026.11.0", ModelSha256 = new string('a', 64), Tokenizer = "fe-tok-1", Decisions = 1000, Allowed = 900,
        Reviewed = 80, Denied = 20, Rejected = 3, Fallbacks = 5, DeadlineMisses = 1, Outcomes = 40, ConnectionsActive = 2,
        ConnectionsTotal = 17, ConnectionsRefused = 1, ProtocolErrors = 4, RssBytes = 84_000_000, PeakRssBytes = 90_000_000,
        ManagedHeapBytes = 12_000_000, UptimeMs = ulong.MaxValue, LatencyP50Us = 118, LatencyP99Us = 250,
        AllocatedBytes = 1_250_000,
    };

    public static StatusResponse NoModel => new()
    {
        ServiceVersion = "1.4.2 (déjà vu ✓)", ProtocolVersion = 1, Profile = "entry-a53", Tokenizer = "fe-tok-1",
        ModelRefusal = 3, UptimeMs = 5,
    };

    /// <summary>docs/protocol.md §8.4.</summary>
    public static ErrorResponse DocError => new()
    {
        Code = ProtocolErrorCode.InvalidEvent, Message = "BIN must be 6 to 8 digits with a non-zero first digit", Field = "bin", Detail = 115,
    };

    public static ErrorResponse BareError => new() { Code = ProtocolErrorCode.ServerBusy, Message = "too many connections", Field = "" };

    /// <summary>One frame of every type (plus an undefined type byte), each with its own request id.</summary>
    public static IReadOnlyList<byte[]> AllFrames()
    {
        var frames = new List<byte[]>
        {
            Frames.Write(1, DocRequest),
            Frames.Write(2, FullRequest),
            Frames.Write(3, MinimalRequest),
            Frames.Write(4, DocResponse),
            Frames.Write(5, RulesResponse),
            Frames.Write(6, IssuerDecline),
            Frames.Write(7, FraudReport),
            Frames.Write(8, new Ack { EventId = 12345 }),
            Frames.Write(9, new Ping()),
            Frames.Write(10, new Pong { ProtocolVersion = 1, UptimeMs = 1000 }),
            Frames.Write(11, new StatusRequest()),
            Frames.Write(12, WithModel),
            Frames.Write(13, NoModel),
            Frames.Write(14, DocError),
            Frames.Write(15, BareError),
            Frames.Wrap((MessageType)0x42, 16, "80"),          // undefined type: still a frame
            Frames.Wrap(MessageType.Ping, 17, ""),             // length 6: empty payload (refused by Ping, not by framing)
            Frames.Wrap(MessageType.ScoreRequest, 18, "81 08 cd 01 2c"), // a frame whose payload is refused
        };
        return frames;
    }
}
