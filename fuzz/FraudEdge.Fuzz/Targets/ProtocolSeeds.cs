using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// Seed inputs for the protocol targets: the docs/protocol.md §8 examples and realistic messages of every
/// type, encoded by <see cref="FrameWriter"/>, plus hand-written payloads in encodings the writer never
/// produces (wide integers, str16, map16, unknown keys with nested values), so mutation starts from both.
/// </summary>
public static class ProtocolSeeds
{
    private static readonly UInt128 DocToken = new(0x0011_2233_4455_6677, 0x8899_AABB_CCDD_EEFF);

    public static ScoreRequest DocRequest => new()
    {
        EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), MerchantId = Ascii16Text.Parse("M42"),
        TimestampMs = 1_764_331_200_000, Kind = 1, AmountMinor = 1234, Currency = 978, MerchantCategoryCode = 5411,
        TerminalCountry = 276, CardToken = DocToken, Bin = 411111, LastFour = 1111, Scheme = 1, CardType = 1,
        ServiceCode = 201, EntryMode = 2, Cvm = 5, Atc = 7, HasAtc = true, Cryptogram = 3, Attended = true,
    };

    /// <summary>Every optional key set: an unattended fuel pump, chip fallback to swipe, TVR bits, cashback.</summary>
    public static ScoreRequest FullRequest => new()
    {
        EventId = 4_000_123_456, TerminalId = Ascii16Text.Parse("FUEL-PUMP-07"), MerchantId = Ascii16Text.Parse("MERCHANT-000042"),
        Lane = 7, OperatorId = 0, TimestampMs = 1_764_360_000_000, LocalOffsetMinutes = 60, Kind = 4, AmountMinor = 15_000,
        CashbackMinor = 2_000, Currency = 978, MerchantCategoryCode = 5542, TerminalCountry = 276, CardToken = ~DocToken,
        Bin = 52000012, LastFour = 42, Scheme = 2, CardType = 2, IssuerCountry = 840, ExpiryYyMm = 2712, ServiceCode = 101,
        EntryMode = 5, Cvm = 1, Atc = 65535, HasAtc = true, Tvr = 0x04_0000_8000, Cryptogram = 1, Attended = false,
    };

    public static ScoreResponse DocResponse => new()
    {
        EventId = 12345, Verdict = 1, RiskScore = 4, Probability = 0.0123f, Reasons = 1UL << 8, Source = 1,
        ElapsedMicroseconds = 140, ModelVersion = Ascii16Text.Parse("1.0.0"),
    };

    public static ScoreResponse RulesResponse => new()
    {
        EventId = 7, Verdict = 3, RiskScore = 91, Probability = float.NaN, Reasons = 1UL << 32 | 1UL << 2 | 1UL << 0,
        Source = 2, ElapsedMicroseconds = 35,
    };

    public static OutcomeNotice IssuerDecline => new()
    {
        EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), CardToken = DocToken, TimestampMs = 1_764_331_202_000,
        Kind = 1, ResponseCode = 0x3035, // "05"
    };

    public static OutcomeNotice Chargeback => new()
    {
        EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), CardToken = DocToken, TimestampMs = 1_767_000_000_000, Kind = 3,
    };

    public static StatusResponse WithModel => new()
    {
        ServiceVersion = "1.0.0", ProtocolVersion = 1, Profile = "entry-a53", ModelName = "fe-transformer",
        ModelVersion = "1.0.0", ModelSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Tokenizer = "fe-tok-1", Decisions = 1000, Allowed = 940, Reviewed = 45, Denied = 15, Rejected = 2, Fallbacks = 3,
        DeadlineMisses = 1, Outcomes = 120, ConnectionsActive = 2, ConnectionsTotal = 31, ConnectionsRefused = 1,
        ProtocolErrors = 4, RssBytes = 84_000_000, PeakRssBytes = 90_000_000, ManagedHeapBytes = 12_000_000,
        UptimeMs = 86_400_000, LatencyP50Us = 118, LatencyP99Us = 260, AllocatedBytes = 1_250_000,
    };

    public static StatusResponse NoModel => new()
    {
        ServiceVersion = "1.0.0", ProtocolVersion = 1, Profile = "entry-a53", Tokenizer = "fe-tok-1", Decisions = 10,
        Allowed = 10, Fallbacks = 10, UptimeMs = 1000, ModelRefusal = 4,
    };

    public static ErrorResponse DocError => new()
    {
        Code = ProtocolErrorCode.InvalidEvent, Message = "BIN must be 6 to 8 digits with a non-zero first digit", Field = "bin", Detail = 115,
    };

    public static ErrorResponse Busy => new() { Code = ProtocolErrorCode.ServerBusy, Message = "too many connections", Field = "" };

    /// <summary>A ScoreRequest in encodings FrameWriter never uses: map16, uint64/int16/str16/bin16, nil, unknown nested keys.</summary>
    public static byte[] WideRequestPayload { get; } = Convert.FromHexString(string.Concat(
        "de0012",                                 // map16, 18 entries, keys out of order
        "1705",                                   // 23 cvm
        "cf0000000000000001", "cf0000000000003039", // key 1 and event_id 12345, both uint64
        "02d9055430303031", "03da00034d3432",     // terminal_id str8 "T0001", merchant_id str16 "M42"
        "06d30000019aca559e00", "07d1fcb8",       // timestamp int64, local offset int16 -840
        "08d001", "09d2000004d2",                 // kind int8, amount int32
        "0bce000003d2", "0ccd1523", "0dd10114",   // currency uint32, mcc, country int16
        "0ec50010", "00112233445566778899aabbccddeeff", // card_token bin16
        "0fce000645e7", "10d200000457",           // bin, last_four int32
        "63", "8201", "93c0c3ca3f800000", "a178", "d4012a", // 99 unknown: {1: [nil, true, 1.0f], "x": fixext1}
        "1602", "18c0", "1bc0"));                 // entry_mode; atc and attended nil = absent

    public static byte[] Frame<T>(uint requestId, in T message) where T : struct, IProtocolMessage<T>
    {
        var output = new ArrayBufferWriter<byte>();
        new FrameWriter().Write(output, requestId, message);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Payload<T>(in T message) where T : struct, IProtocolMessage<T> => Frame(0, message)[FrameCodec.HeaderBytes..];

    /// <summary>A client's pipelined burst followed by the service's answers: every type in one stream.</summary>
    public static byte[] Conversation() =>
    [
        .. Frame(1, new Ping()), .. Frame(1, new Pong { ProtocolVersion = 1, UptimeMs = 1000 }),
        .. Frame(2, DocRequest), .. Frame(2, DocResponse), .. Frame(3, FullRequest), .. Frame(3, RulesResponse),
        .. Frame(4, IssuerDecline), .. Frame(4, new Ack { EventId = 12345 }), .. Frame(5, new StatusRequest()),
        .. Frame(5, WithModel), .. Frame(6, DocError),
    ];
}
