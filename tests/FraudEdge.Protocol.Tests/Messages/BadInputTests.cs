using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests.Messages;

/// <summary>Every refusal of §3/§5 with its documented code and the doc's key name in <see cref="ProtocolError.Field"/>.</summary>
public sealed class BadInputTests
{
    private const string Token16 = "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff";

    /// <summary>The required keys of the §8.2 example, encoded by hand.</summary>
    private static readonly (int Key, string Value)[] DocEntries =
    [
        (1, "cd 30 39"), (2, "a5 54 30 30 30 31"), (3, "a3 4d 34 32"), (6, "cf 00 00 01 9a ca 55 9e 00"), (8, "01"),
        (9, "cd 04 d2"), (11, "cd 03 d2"), (12, "cd 15 23"), (13, "cd 01 14"), (14, "c4 10 " + Token16),
        (15, "ce 00 06 45 e7"), (16, "cd 04 57"), (22, "02"), (23, "05"),
    ];

    /// <summary>A map of the given entries (keys as positive fixint), header chosen by count.</summary>
    private static string Map(IEnumerable<(int Key, string Value)> entries)
    {
        var list = entries.ToList();
        string header = list.Count < 16 ? $"{0x80 + list.Count:x2}" : $"de {list.Count >> 8:x2} {list.Count & 0xFF:x2}";
        return header + " " + Body(list);
    }

    private static string Body(IEnumerable<(int Key, string Value)> entries) => string.Join(' ', entries.Select(e => $"{e.Key:x2} {e.Value}"));

    /// <summary>The doc request with one key's value replaced (or added at the end).</summary>
    private static string With(int key, string value) =>
        Map(DocEntries.Any(e => e.Key == key) ? DocEntries.Select(e => e.Key == key ? (key, value) : e) : DocEntries.Append((key, value)));

    private static string Without(int key) => Map(DocEntries.Where(e => e.Key != key));

    private static void AssertRefused<T>(string payloadHex, ProtocolErrorCode code, string field) where T : struct, IProtocolMessage<T>
    {
        ProtocolError error = Frames.DecodeError<T>(payloadHex);
        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(error.Message) <= ProtocolLimits.MaxStringBytes, error.Message);
    }

    [Fact]
    public void The_base_request_of_these_tests_is_valid()
    {
        var payload = new System.Buffers.ReadOnlySequence<byte>(Hex.Parse(Map(DocEntries)));
        Assert.Equal(System.Buffers.OperationStatus.Done, ScoreRequest.TryRead(payload, out ScoreRequest r, out _));
        Assert.Equal(Samples.DocRequest with { Scheme = 0, CardType = 0, ServiceCode = 0, HasAtc = false, Atc = 0, Cryptogram = 0 }, r);
        var boundary = new System.Buffers.ReadOnlySequence<byte>(Hex.Parse(Map(DocEntries.Append((7, "d1 80 00")).Append((27, "c3")))));
        Assert.Equal(System.Buffers.OperationStatus.Done, ScoreRequest.TryRead(boundary, out r, out _));
        Assert.Equal(short.MinValue, r.LocalOffsetMinutes);
    }

    [Theory]
    // Integers out of the key's range, in any encoding.
    [InlineData(8, "cd 01 2c", "kind")]                    // kind 300 > u8
    [InlineData(4, "ff", "lane")]                          // lane -1
    [InlineData(4, "ce 00 01 00 00", "lane")]              // lane 65536
    [InlineData(7, "d2 ff ff 7f ff", "local_offset_min")]  // -32769 < i16
    [InlineData(7, "cd 80 00", "local_offset_min")]        // 32768 > i16
    [InlineData(1, "ff", "event_id")]                      // negative u64
    [InlineData(1, "d3 80 00 00 00 00 00 00 00", "event_id")]
    [InlineData(9, "cf 80 00 00 00 00 00 00 00", "amount_minor")] // 2^63 > i64
    [InlineData(15, "cf 00 00 00 01 00 00 00 00", "bin")]  // 2^32 > u32
    [InlineData(24, "ce 00 01 00 00", "atc")]
    // Ids: 1–16 printable ASCII.
    [InlineData(2, "b1 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41", "terminal_id")] // 17 chars
    [InlineData(2, "a0", "terminal_id")]                   // empty
    [InlineData(2, "a2 41 20", "terminal_id")]             // space
    [InlineData(3, "a2 41 7f", "merchant_id")]             // DEL
    [InlineData(3, "a2 41 00", "merchant_id")]             // NUL
    [InlineData(2, "a2 c3 a9", "terminal_id")]             // "é": not ASCII
    // Binary: exact lengths.
    [InlineData(14, "c4 0f 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee", "card_token")]       // 15 bytes
    [InlineData(14, "c4 11 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00", "card_token")] // 17 bytes
    [InlineData(25, "c4 04 00 00 00 00", "tvr")]
    [InlineData(25, "c4 06 00 00 00 00 00 00", "tvr")]
    // A known key with a value of the wrong kind.
    [InlineData(14, "b0 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35", "card_token")] // str, not bin
    [InlineData(2, "01", "terminal_id")]                   // int for str
    [InlineData(1, "a1 31", "event_id")]                   // str for uint
    [InlineData(6, "ca 00 00 00 00", "timestamp_ms")]      // float for int
    [InlineData(27, "01", "attended")]                     // int for bool
    [InlineData(25, "a5 00 00 00 00 00", "tvr")]           // str for bin
    [InlineData(1, "c0", "event_id")]                      // nil: absent is for optional keys only
    [InlineData(8, "c3", "kind")]
    [InlineData(12, "90", "mcc")]
    [InlineData(13, "80", "terminal_country")]
    public void A_known_key_out_of_range_or_of_the_wrong_type_is_WrongType(int key, string value, string field) =>
        AssertRefused<ScoreRequest>(With(key, value), ProtocolErrorCode.WrongType, field);

    [Theory]
    [InlineData(1, "event_id")]
    [InlineData(2, "terminal_id")]
    [InlineData(6, "timestamp_ms")]
    [InlineData(14, "card_token")]
    [InlineData(15, "bin")]
    [InlineData(22, "entry_mode")]
    [InlineData(23, "cvm")]
    public void A_missing_required_key_is_MissingField(int key, string field) =>
        AssertRefused<ScoreRequest>(Without(key), ProtocolErrorCode.MissingField, field);

    public static TheoryData<string, string> LimitCases() => new()
    {
        { With(2, "d9 41 " + Hex.Repeat("41", 65)), "terminal_id" },           // str of 65 bytes
        { With(2, "db ff ff ff ff"), "terminal_id" },                           // 4 GB announced: refused from the header
        { With(14, "c4 41 " + Hex.Repeat("00", 65)), "card_token" },            // bin of 65 bytes
        { With(99, "d9 41 " + Hex.Repeat("41", 65)), "" },                      // in a skipped value too
        { With(99, "c5 00 41 " + Hex.Repeat("00", 65)), "" },
        { With(99, "91 91 91 91 91 91 91 91 91 c0"), "" },                      // nesting depth 9
        { With(99, "81 01 81 01 81 01 81 01 81 01 81 01 81 01 81 01 81 01 c0"), "" }, // 9 nested maps
        { With(99, "dc 00 41 " + Hex.Repeat("c0", 65)), "" },                   // array of 65
        { With(99, "dd ff ff ff ff"), "" },
        { With(99, "de 00 41 " + Hex.Repeat("c0", 130)), "" },                  // nested map of 65 entries
        { "de 00 41 " + string.Join(' ', Enumerable.Range(0, 65).Select(k => $"cc {k + 100:x2} c0")), "" }, // payload map of 65
        { "df ff ff ff ff", "" },
    };

    [Theory]
    [MemberData(nameof(LimitCases))]
    public void Limits_of_section_3_are_LimitExceeded(string payload, string field) =>
        AssertRefused<ScoreRequest>(payload, ProtocolErrorCode.LimitExceeded, field);

    [Fact]
    public void A_string_within_the_limit_but_longer_than_an_id_is_WrongType_not_LimitExceeded() =>
        AssertRefused<ScoreRequest>(With(2, "d9 40 " + Hex.Repeat("41", 64)), ProtocolErrorCode.WrongType, "terminal_id");

    public static TheoryData<string, string> MalformedCases()
    {
        string doc = Map(DocEntries);
        byte[] docBytes = Hex.Parse(doc);
        return new TheoryData<string, string>
        {
            { "", "" },                                         // empty payload
            { "c0", "" },                                       // not a map
            { "90", "" },
            { "01", "" },
            { "c1", "" },                                       // never-used code
            { "de 00", "" },                                    // header cut short
            { "81", "" },                                       // an entry missing
            { "81 01", "event_id" },                            // a value missing
            { Hex.Format(docBytes[..^1]), "cvm" },              // last value cut short (05 of cvm goes missing)
            { Hex.Format(docBytes[..^4]), "" },                 // cut between entries: a key is missing
            { doc + " c0", "" },                                // trailing byte
            { doc + " 80", "" },
            { "81 01 cd 30", "event_id" },                      // uint16 cut short
            { With(99, "c1"), "" },                             // invalid code in a skipped value
            { Map(DocEntries.Append((8, "01"))), "kind" },      // duplicate key
            { Map(DocEntries.Append((99, "01")).Append((99, "02"))), "" },
            { "de 00 10 " + Body(DocEntries) + " cd 01 00 c0 cd 01 00 c0", "" }, // duplicate unknown key 256
            { "81 a1 61 01", "" },                              // string key
            { "81 ff 01", "" },                                 // negative key
            { "81 ca 00 00 00 00 01", "" },                     // float key
        };
    }

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void Payloads_that_are_not_one_complete_map_are_MalformedPayload(string payload, string field) =>
        AssertRefused<ScoreRequest>(payload, ProtocolErrorCode.MalformedPayload, field);

    [Fact]
    public void Outcome_notice_refusals()
    {
        string Notice(string? responseCode, string kind = "01") =>
            $"{(responseCode is null ? "85" : "86")} 01 cd 30 39 02 a5 54 30 30 30 31 03 c4 10 {Token16} 04 cf 00 00 01 9a ca 55 9e 00 05 {kind}"
            + (responseCode is null ? "" : $" 06 {responseCode}");

        Assert.Equal(System.Buffers.OperationStatus.Done, OutcomeNotice.TryRead(new(Hex.Parse(Notice(null, "02"))), out _, out _));
        Assert.Equal(System.Buffers.OperationStatus.Done, OutcomeNotice.TryRead(new(Hex.Parse(Notice("a2 30 30"))), out OutcomeNotice ok, out _));
        Assert.Equal(0x3030, ok.ResponseCode);
        AssertRefused<OutcomeNotice>(Notice(null), ProtocolErrorCode.MissingField, "response_code");      // kind 1 needs one
        AssertRefused<OutcomeNotice>(Notice("c0"), ProtocolErrorCode.MissingField, "response_code");      // nil = absent
        AssertRefused<OutcomeNotice>(Notice("a3 30 30 30"), ProtocolErrorCode.WrongType, "response_code");
        AssertRefused<OutcomeNotice>(Notice("a1 30"), ProtocolErrorCode.WrongType, "response_code");
        AssertRefused<OutcomeNotice>(Notice("a2 30 00"), ProtocolErrorCode.WrongType, "response_code");
        AssertRefused<OutcomeNotice>(Notice("3f"), ProtocolErrorCode.WrongType, "response_code");
        AssertRefused<OutcomeNotice>(Notice(null, "cd 01 00"), ProtocolErrorCode.WrongType, "kind");
        AssertRefused<OutcomeNotice>("84 01 01 02 a1 41 03 c4 10 " + Token16 + " 04 00", ProtocolErrorCode.MissingField, "kind");
    }

    [Fact]
    public void Score_response_refusals()
    {
        const string Head = "88 01 01 02 01 03 04 05 00 06 01 07 00";
        Assert.Equal(System.Buffers.OperationStatus.Done, ScoreResponse.TryRead(new(Hex.Parse(Head + " 04 ca 7f c0 00 00 08 a0")), out ScoreResponse nan, out _));
        Assert.True(float.IsNaN(nan.Probability));
        AssertRefused<ScoreResponse>(Head + " 04 00 08 a0", ProtocolErrorCode.WrongType, "probability");     // int, not float
        AssertRefused<ScoreResponse>(Head + " 04 c0 08 a0", ProtocolErrorCode.WrongType, "probability");
        AssertRefused<ScoreResponse>(Head + " 04 ca 00 00 00 00 08 b1 " + Hex.Repeat("41", 17), ProtocolErrorCode.WrongType, "model_version");
        AssertRefused<ScoreResponse>(Head + " 04 ca 00 00 00 00 08 a1 20", ProtocolErrorCode.WrongType, "model_version");
        AssertRefused<ScoreResponse>("87 01 01 02 01 03 04 05 00 06 01 07 00 04 ca 00 00 00 00", ProtocolErrorCode.MissingField, "model_version");
        AssertRefused<ScoreResponse>("88 01 01 02 01 03 cd 01 00 05 00 06 01 07 00 04 ca 00 00 00 00 08 a0", ProtocolErrorCode.WrongType, "risk_score");
    }

    [Fact]
    public void Error_status_pong_and_ack_refusals()
    {
        AssertRefused<ErrorResponse>("82 01 08 02 a2 c3 28", ProtocolErrorCode.WrongType, "message");        // invalid UTF-8
        AssertRefused<ErrorResponse>("82 01 ce 00 01 00 00 02 a0", ProtocolErrorCode.WrongType, "code");     // > u16
        AssertRefused<ErrorResponse>("81 01 08", ProtocolErrorCode.MissingField, "message");
        AssertRefused<ErrorResponse>("82 01 08 02 d9 41 " + Hex.Repeat("41", 65), ProtocolErrorCode.LimitExceeded, "message");
        AssertRefused<ErrorResponse>("83 01 08 02 a0 04 ce 00 01 00 00", ProtocolErrorCode.WrongType, "detail");
        AssertRefused<Pong>("81 01 01", ProtocolErrorCode.MissingField, "uptime_ms");
        AssertRefused<Pong>("82 01 ff 02 00", ProtocolErrorCode.WrongType, "protocol_version");
        AssertRefused<Ack>("80", ProtocolErrorCode.MissingField, "event_id");
        AssertRefused<Ack>("81 01 a0", ProtocolErrorCode.WrongType, "event_id");
        AssertRefused<Ack>("82 01 01 01 02", ProtocolErrorCode.MalformedPayload, "event_id");

        byte[] status = Frames.PayloadOf(Frames.Write(1, Samples.WithModel));
        Assert.Equal(System.Buffers.OperationStatus.Done, StatusResponse.TryRead(new(status), out _, out _));
        AssertRefused<StatusResponse>(Hex.Format(status) + " 00", ProtocolErrorCode.MalformedPayload, "");
        AssertRefused<StatusResponse>("80", ProtocolErrorCode.MissingField, "service_version");
        // Keys 27–31 were added within v1 and are optional on read: nil is absent, a wrong type is WrongType.
        const string laterKeys = " 1c 00 1d 00 1e c2 1f 00"; // memory_budget_bytes 0, gc_heap_limit_bytes 0, shedding false, audit_last_record 0
        Assert.Equal("1bce001312d01c001d001ec21f00", Hex.Format(status.AsSpan()[^14..]));
        Assert.Equal(System.Buffers.OperationStatus.Done, StatusResponse.TryRead(new(Hex.Parse(Hex.Format(status[..^13]) + " c0" + laterKeys)), out StatusResponse noAllocated, out _));
        Assert.Equal(0ul, noAllocated.AllocatedBytes);
        AssertRefused<StatusResponse>(Hex.Format(status[..^13]) + " a0" + laterKeys, ProtocolErrorCode.WrongType, "allocated_bytes");
        Assert.Equal(System.Buffers.OperationStatus.Done, StatusResponse.TryRead(new(Hex.Parse(Hex.Format(status[..^3]) + " c0 1f 00")), out StatusResponse noShedding, out _));
        Assert.False(noShedding.Shedding);
        AssertRefused<StatusResponse>(Hex.Format(status[..^3]) + " a0 1f 00", ProtocolErrorCode.WrongType, "shedding");
        Assert.Equal(System.Buffers.OperationStatus.Done, StatusResponse.TryRead(new(Hex.Parse(Hex.Format(status[..^1]) + " c0")), out StatusResponse noHead, out _));
        Assert.Equal(0ul, noHead.AuditLastRecord);
        Assert.Null(noHead.AuditHeadSha256);
        AssertRefused<StatusResponse>(Hex.Format(status[..^1]) + " a0", ProtocolErrorCode.WrongType, "audit_last_record");
        AssertRefused<StatusResponse>("81 01 a0", ProtocolErrorCode.MissingField, "protocol_version");
    }

    [Theory]
    [InlineData("", ProtocolErrorCode.MalformedPayload)]
    [InlineData("90", ProtocolErrorCode.MalformedPayload)]
    [InlineData("c0", ProtocolErrorCode.MalformedPayload)]
    [InlineData("80 c0", ProtocolErrorCode.MalformedPayload)]
    [InlineData("81 01", ProtocolErrorCode.MalformedPayload)]
    [InlineData("81 01 c1", ProtocolErrorCode.MalformedPayload)]
    [InlineData("81 01 91 91 91 91 91 91 91 91 91 c0", ProtocolErrorCode.LimitExceeded)]
    [InlineData("81 01 dc 00 41", ProtocolErrorCode.LimitExceeded)]
    public void Ping_and_status_request_must_be_a_map_within_the_limits(string payload, ProtocolErrorCode code)
    {
        Assert.Equal(code, Frames.DecodeError<Ping>(payload).Code);
        Assert.Equal(code, Frames.DecodeError<StatusRequest>(payload).Code);
    }

    [Fact]
    public void Ping_keys_are_skipped_with_the_string_limit()
    {
        string longKey = "81 d9 41 " + Hex.Repeat("41", 65) + " 01";
        Assert.Equal(ProtocolErrorCode.LimitExceeded, Frames.DecodeError<Ping>(longKey).Code);
        Assert.Equal(System.Buffers.OperationStatus.Done, Ping.TryRead(new(Hex.Parse("81 d9 40 " + Hex.Repeat("41", 64) + " 01")), out _, out _));
    }
}
