using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests.Messages;

/// <summary>
/// Payloads written byte by byte from the MessagePack spec, not by MessagePackWriter: the encodings another
/// client may legally choose (uint64 for small numbers, int8 for positives, negative fixint, str8/str16,
/// bin16/bin32, map16/map32 headers, keys out of order, nil for optional keys, unknown keys carrying nested
/// maps, arrays, ext and float values) must all decode (§3 "any valid MessagePack encoding is accepted").
/// </summary>
public sealed class HandBuiltPayloadTests
{
    private const string WideEncodingsRequest = """
        de 00 16                          ; map16, 22 entries, keys out of order
        17 05                             ; 23 cvm: 5
        cf 00 00 00 00 00 00 00 01        ; key 1 written as uint64
        cf 00 00 00 00 00 00 30 39        ; 1 event_id: 12345 as uint64
        02 d9 05 54 30 30 30 31           ; 2 terminal_id: str8 "T0001"
        03 da 00 03 4d 34 32              ; 3 merchant_id: str16 "M42"
        06 d3 00 00 01 9a ca 55 9e 00     ; 6 timestamp_ms: int64
        07 d1 fc b8                       ; 7 local_offset_min: int16 -840
        04 cf 00 00 00 00 00 00 00 03     ; 4 lane: uint64 3
        08 d0 01                          ; 8 kind: int8 1
        09 d2 00 00 04 d2                 ; 9 amount_minor: int32 1234
        0a d1 00 64                       ; 10 cashback_minor: int16 100
        63 82 01 93 c0 c3 ca 3f 80 00 00 a1 78 d4 01 2a   ; 99 unknown: {1: [nil, true, 1.0f], "x": fixext1}
        0b ce 00 00 03 d2                 ; 11 currency: uint32 978
        0c cd 15 23                       ; 12 mcc: 5411
        0d d1 01 14                       ; 13 terminal_country: int16 276
        0e c5 00 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff   ; 14 card_token: bin16
        0f ce 00 06 45 e7                 ; 15 bin: 411111
        10 d2 00 00 04 57                 ; 16 last_four: int32 1111
        cc c8 cb 40 09 21 fb 54 44 2d 18  ; 200 unknown (key as uint8): float64 pi
        16 02                             ; 22 entry_mode
        18 c0                             ; 24 atc: nil = absent
        1b c0                             ; 27 attended: nil = absent (true)
        19 c6 00 00 00 05 00 00 00 80 00  ; 25 tvr: bin32, 5 bytes
        """;

    private const string Map32Request = """
        df 00 00 00 14                    ; map32, 20 entries
        01 01                             ; 1 event_id 1
        02 a1 41                          ; 2 terminal_id "A"
        03 b0 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d 4d   ; 3 merchant_id: 16 chars, the maximum
        06 e0                             ; 6 timestamp_ms: negative fixint -32
        07 ff                             ; 7 local_offset_min: negative fixint -1
        08 06                             ; 8 kind 6
        09 01                             ; 9 amount 1
        0b 00 0c 00 0d 00                 ; 11, 12, 13: 0
        0e c4 10 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff   ; 14 card_token: all ones
        0f 00 10 00                       ; 15 bin 0, 16 last_four 0
        16 00 17 00                       ; 22, 23: unknown (0)
        18 cd ff ff                       ; 24 atc 65535
        1b c2                             ; 27 attended false
        3f c7 03 05 01 02 03              ; 63 unknown: ext8, 3 bytes, type 5
        40 c8 00 02 fe 01 02              ; 64 unknown: ext16, 2 bytes, type -2
        cd 01 00 91 91 91 91 91 91 91 91 c0   ; 256 unknown (key uint16): 8 nested arrays, the deepest allowed
        """;

    private const string OddScoreResponse = """
        de 00 08                          ; map16
        08 d9 00                          ; 8 model_version: "" as str8
        07 cc 8c                          ; 7 elapsed_us 140
        06 d0 02                          ; 6 source: int8 2
        05 cf 80 00 00 00 00 00 00 01     ; 5 reasons: bits 63 and 0
        04 cb 3f e0 00 00 00 00 00 00     ; 4 probability: float64 0.5
        03 cc 63                          ; 3 risk_score: uint8 99
        02 03                             ; 2 verdict
        01 cf ff ff ff ff ff ff ff ff     ; 1 event_id: the largest u64
        """;

    private const string OddOutcomeNotice = """
        87
        06 d9 02 35 31                    ; 6 response_code: str8 "51"
        05 01                             ; 5 kind: issuer response
        04 d3 00 00 01 9a ca 55 a5 d0     ; 4 timestamp_ms: int64 1764331202000
        01 cd 30 39                       ; 1 event_id 12345
        02 a5 54 30 30 30 31              ; 2 terminal_id "T0001"
        03 c4 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff
        07 de 00 01 a1 6b 90              ; 7 unknown: map16 {"k": []}
        """;

    private const string OddStatusResponse = """
        de 00 18                          ; map16, 24 entries
        01 d9 05 31 2e 30 2e 30           ; 1 service_version: str8 "1.0.0"
        02 cc 01                          ; 2 protocol_version: uint8 1
        03 a9 65 6e 74 72 79 2d 61 35 33  ; 3 profile "entry-a53"
        04 c0                             ; 4 model_name: nil = no model
        07 a8 66 65 2d 74 6f 6b 2d 31     ; 7 tokenizer "fe-tok-1"
        08 01 09 01 0a 00 0b 00 0c 00 0d 01 0e 00 0f 00 10 01 11 02 12 00 13 00
        14 ce 05 00 00 00                 ; 20 rss_bytes: uint32
        15 cf 00 00 00 00 05 00 00 00     ; 21 peak_rss_bytes: uint64
        16 d2 00 b7 1b 00                 ; 22 managed_heap_bytes: int32 12000000
        17 cd 03 e8                       ; 23 uptime_ms 1000
        18 76                             ; 24 latency_p50_us 118
        19 cc fa                          ; 25 latency_p99_us 250
        1a c0                             ; 26 model_refusal: nil = absent
        """;

    private const string OddError = """
        84
        04 c0                             ; 4 detail: nil
        03 c0                             ; 3 field: nil
        02 da 00 05 68 65 6c 6c 6f        ; 2 message: str16 "hello"
        01 cd 00 0d                       ; 1 code: uint16 13
        """;

    private const string OddPong = "82 02 cf 00 00 00 00 00 00 03 e8 01 d0 01";
    private const string OddAck = "81 01 d3 00 00 00 00 00 00 00 2a";
    private const string OddPing = "83 01 02 a1 61 c0 c3 91 80"; // {1: 2, "a": nil, true: [{}]}: keys ignored
    private const string OddStatusRequest = "de 00 00";

    internal static IEnumerable<byte[]> HandBuiltFrames() =>
    [
        Frames.Wrap(MessageType.ScoreRequest, 101, WideEncodingsRequest),
        Frames.Wrap(MessageType.ScoreRequest, 102, Map32Request),
        Frames.Wrap(MessageType.ScoreResponse, 103, OddScoreResponse),
        Frames.Wrap(MessageType.OutcomeNotice, 104, OddOutcomeNotice),
        Frames.Wrap(MessageType.StatusResponse, 105, OddStatusResponse),
        Frames.Wrap(MessageType.Error, 106, OddError),
        Frames.Wrap(MessageType.Pong, 107, OddPong),
        Frames.Wrap(MessageType.Ack, 108, OddAck),
        Frames.Wrap(MessageType.Ping, 109, OddPing),
        Frames.Wrap(MessageType.StatusRequest, 110, OddStatusRequest),
    ];

    [Fact]
    public void Wide_integer_encodings_str8_str16_bin16_bin32_nil_and_unknown_keys_decode()
    {
        ScoreRequest r = Frames.Decode<ScoreRequest>(Frames.Wrap(MessageType.ScoreRequest, 1, WideEncodingsRequest));
        var expected = new ScoreRequest
        {
            EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), MerchantId = Ascii16Text.Parse("M42"), Lane = 3,
            TimestampMs = 1_764_331_200_000, LocalOffsetMinutes = -840, Kind = 1, AmountMinor = 1234, CashbackMinor = 100,
            Currency = 978, MerchantCategoryCode = 5411, TerminalCountry = 276, CardToken = Samples.DocToken, Bin = 411111,
            LastFour = 1111, EntryMode = 2, Cvm = 5, HasAtc = false, Tvr = 0x80_00, Attended = true,
        };
        Assert.Equal(expected, r);
    }

    [Fact]
    public void Map32_negative_fixints_ext_values_and_the_deepest_allowed_skipped_value_decode()
    {
        ScoreRequest r = Frames.Decode<ScoreRequest>(Frames.Wrap(MessageType.ScoreRequest, 1, Map32Request));
        var expected = new ScoreRequest
        {
            EventId = 1, TerminalId = Ascii16Text.Parse("A"), MerchantId = Ascii16Text.Parse("MMMMMMMMMMMMMMMM"),
            TimestampMs = -32, LocalOffsetMinutes = -1, Kind = 6, AmountMinor = 1, CardToken = UInt128.MaxValue,
            Atc = 65535, HasAtc = true, Attended = false,
        };
        Assert.Equal(expected, r);
    }

    [Fact]
    public void A_score_response_with_float64_probability_and_keys_in_reverse_decodes()
    {
        ScoreResponse r = Frames.Decode<ScoreResponse>(Frames.Wrap(MessageType.ScoreResponse, 1, OddScoreResponse));
        Assert.Equal(new ScoreResponse
        {
            EventId = ulong.MaxValue, Verdict = 3, RiskScore = 99, Probability = 0.5f, Reasons = 1UL << 63 | 1,
            Source = 2, ElapsedMicroseconds = 140, ModelVersion = default,
        }, r);
        Assert.True(r.ModelVersion.IsEmpty);
    }

    [Fact]
    public void An_outcome_notice_with_str8_response_code_and_a_nested_unknown_key_decodes()
    {
        OutcomeNotice n = Frames.Decode<OutcomeNotice>(Frames.Wrap(MessageType.OutcomeNotice, 1, OddOutcomeNotice));
        Assert.Equal(new OutcomeNotice
        {
            EventId = 12345, TerminalId = Ascii16Text.Parse("T0001"), CardToken = Samples.DocToken,
            TimestampMs = 1_764_331_202_000, Kind = 1, ResponseCode = 0x3531,
        }, n);
    }

    [Fact]
    public void A_status_response_without_a_model_decodes_with_null_model_keys()
    {
        StatusResponse s = Frames.Decode<StatusResponse>(Frames.Wrap(MessageType.StatusResponse, 1, OddStatusResponse));
        Assert.Equal(new StatusResponse
        {
            ServiceVersion = "1.0.0", ProtocolVersion = 1, Profile = "entry-a53", Tokenizer = "fe-tok-1",
            Decisions = 1, Allowed = 1, Fallbacks = 1, ConnectionsActive = 1, ConnectionsTotal = 2,
            RssBytes = 83_886_080, PeakRssBytes = 83_886_080, ManagedHeapBytes = 12_000_000, UptimeMs = 1000,
            LatencyP50Us = 118, LatencyP99Us = 250,
        }, s);
        Assert.Null(s.ModelName);
        Assert.Null(s.ModelRefusal);
    }

    [Fact]
    public void Error_pong_ack_ping_and_status_request_in_unusual_encodings_decode()
    {
        ErrorResponse e = Frames.Decode<ErrorResponse>(Frames.Wrap(MessageType.Error, 1, OddError));
        Assert.Equal(new ErrorResponse { Code = ProtocolErrorCode.InternalError, Message = "hello", Field = "", Detail = 0 }, e);
        Assert.Equal(new Pong { ProtocolVersion = 1, UptimeMs = 1000 }, Frames.Decode<Pong>(Frames.Wrap(MessageType.Pong, 1, OddPong)));
        Assert.Equal(new Ack { EventId = 42 }, Frames.Decode<Ack>(Frames.Wrap(MessageType.Ack, 1, OddAck)));
        Frames.Decode<Ping>(Frames.Wrap(MessageType.Ping, 1, OddPing));
        Frames.Decode<StatusRequest>(Frames.Wrap(MessageType.StatusRequest, 1, OddStatusRequest));
    }
}
