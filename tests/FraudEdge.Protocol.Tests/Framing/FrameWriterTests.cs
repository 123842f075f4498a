using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests.Framing;

public sealed class FrameWriterTests
{
    [Fact]
    public void The_header_is_length_version_type_and_request_id_big_endian()
    {
        byte[] frame = Frames.Write(0xA1B2C3D4, new Ack { EventId = 1 });
        Assert.Equal("00000009" + "01" + "04" + "a1b2c3d4" + "810101", Hex.Format(frame));
    }

    [Theory]
    [InlineData(0ul, "810100")]
    [InlineData(127ul, "81017f")]
    [InlineData(128ul, "8101cc80")]
    [InlineData(65535ul, "8101cdffff")]
    [InlineData(65536ul, "8101ce00010000")]
    [InlineData(ulong.MaxValue, "8101cfffffffffffffffff")]
    public void Integers_use_the_smallest_encoding(ulong eventId, string payload) =>
        Assert.Equal(payload, Hex.Format(Frames.PayloadOf(Frames.Write(1, new Ack { EventId = eventId }))));

    [Fact]
    public void Negative_integers_use_the_smallest_encoding()
    {
        string payload = Hex.Format(Frames.PayloadOf(Frames.Write(1, Samples.MinimalRequest with { LocalOffsetMinutes = -840, TimestampMs = -1 })));
        Assert.Contains("06ff", payload, StringComparison.Ordinal);     // timestamp -1: negative fixint
        Assert.Contains("07d1fcb8", payload, StringComparison.Ordinal); // -840: int16
    }

    [Fact]
    public void A_minimal_request_writes_only_the_required_keys_in_order()
    {
        byte[] payload = Frames.PayloadOf(Frames.Write(1, Samples.MinimalRequest));
        Assert.Equal("8e" + "0100" + "02a121" + "03a17e" + "0600" + "0800" + "0900" + "0b00" + "0c00" + "0d00"
            + "0ec410" + new string('0', 32) + "0f00" + "1000" + "1600" + "1700", Hex.Format(payload));
    }

    [Fact]
    public void Optional_keys_are_written_when_they_differ_from_the_default()
    {
        byte[] payload = Frames.PayloadOf(Frames.Write(1, Samples.MinimalRequest with { HasAtc = true, Atc = 0, Tvr = 0x01_0000_0002, Attended = false }));
        string hex = Hex.Format(payload);
        Assert.StartsWith("de0011", hex, StringComparison.Ordinal); // 17 entries: map16
        Assert.EndsWith("1800" + "19c4050100000002" + "1bc2", hex, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_frames_carry_field_and_detail_only_when_set()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FrameWriter();
        writer.WriteError(output, 0, new ProtocolError(ProtocolErrorCode.ServerBusy, "busy"));
        Assert.Equal("0000000f017f00000000" + "82010b02a462757379", Hex.Format(output.WrittenSpan));

        output.ResetWrittenCount();
        ProtocolError refusal = Frames.DecodeError<ScoreRequest>("81 08 cd 01 2c");
        writer.WriteError(output, 77, refusal);
        ErrorResponse back = Frames.Decode<ErrorResponse>(output.WrittenSpan.ToArray());
        Assert.Equal(new ErrorResponse { Code = ProtocolErrorCode.WrongType, Message = refusal.Message, Field = "kind", Detail = 0 }, back);
    }

    [Fact]
    public void Model_keys_are_absent_without_a_model()
    {
        StatusResponse none = Contract.RoundTrip(Samples.NoModel with { ModelRefusal = null });
        Assert.Null(none.ModelName);
        byte[] payload = Frames.PayloadOf(Frames.Write(1, Samples.NoModel with { ModelRefusal = null }));
        Assert.Equal(0xde, payload[0]);
        Assert.Equal(27, payload[2]); // keys 1–3, 7–25 and 27–31
        Assert.Null(none.AuditHeadSha256); // key 32 only with an audit head
    }

    [Fact]
    public void The_audit_head_round_trips_as_keys_31_and_32()
    {
        string sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        StatusResponse head = Contract.RoundTrip(Samples.WithModel with { AuditLastRecord = 4242, AuditHeadSha256 = sha });
        Assert.Equal(4242ul, head.AuditLastRecord);
        Assert.Equal(sha, head.AuditHeadSha256);
        byte[] payload = Frames.PayloadOf(Frames.Write(1, Samples.WithModel with { AuditLastRecord = 4242, AuditHeadSha256 = sha }));
        Assert.EndsWith("1fcd1092" + "20d940" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(sha)).ToLowerInvariant(), Hex.Format(payload), StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_over_the_maximum_throws_and_writes_nothing_and_the_writer_stays_usable()
    {
        var writer = new FrameWriter(maxFrameBytes: 40);
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() => writer.Write(output, 1, Samples.FullRequest));
        Assert.Equal(0, output.WrittenCount);
        writer.Write(output, 2, new Pong { ProtocolVersion = 1, UptimeMs = 1000 });
        Assert.Equal(new Pong { ProtocolVersion = 1, UptimeMs = 1000 }, Frames.Decode<Pong>(output.WrittenSpan.ToArray()));

        // Exactly at the maximum is allowed: a Ping frame's length is 7.
        var tight = new FrameWriter(maxFrameBytes: 7);
        output.ResetWrittenCount();
        tight.Write(output, 1, new Ping());
        Assert.Equal(11, output.WrittenCount);
        Assert.Throws<InvalidOperationException>(() => tight.Write(output, 1, new Ack { EventId = 1 }));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void An_impossible_maximum_is_refused_at_construction(int max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameWriter(max));

    [Fact]
    public void Strings_no_reader_would_accept_are_refused_when_writing()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FrameWriter();
        Assert.Throws<ArgumentException>(() => writer.Write(output, 1, Samples.WithModel with { Profile = new string('p', 65) }));
        Assert.Throws<ArgumentException>(() => writer.Write(output, 1, Samples.DocError with { Message = new string('€', 22) })); // 66 bytes
        Assert.Equal(0, output.WrittenCount);
        writer.Write(output, 1, Samples.DocError with { Message = new string('€', 21) }); // 63 bytes: fine
        Assert.Equal(new string('€', 21), Frames.Decode<ErrorResponse>(output.WrittenSpan.ToArray()).Message);
    }

    [Fact]
    public void Frames_are_appended_to_the_output()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FrameWriter();
        writer.Write(output, 1, new Ping());
        writer.Write(output, 2, new StatusRequest());
        Assert.Equal("000000070105000000018000000007010700000002" + "80", Hex.Format(output.WrittenSpan));
    }

    [Fact]
    public void Every_constant_error_message_fits_the_string_limit()
    {
        foreach (ProtocolErrorCode expected in new[] { ProtocolErrorCode.MalformedPayload, ProtocolErrorCode.WrongType, ProtocolErrorCode.LimitExceeded })
            Assert.Equal(expected, Frames.DecodeError<ScoreRequest>(expected switch
            {
                ProtocolErrorCode.MalformedPayload => "c1",
                ProtocolErrorCode.WrongType => "81 01 a0",
                _ => "81 63 dd ff ff ff ff",
            }).Code);
        // The messages are constants of the library: all of them travel in an Error frame without tripping the limit.
        var output = new ArrayBufferWriter<byte>();
        var writer = new FrameWriter();
        foreach (string payload in new[] { "", "c1", "90", "81 01 a0", "81 02 a0", "81 02 a1 20", "81 0e c4 00", "81 63 dd ff ff ff ff",
            "81 63 91 91 91 91 91 91 91 91 91 c0", "81 63 d9 ff", "80", "81 01 01 01 01", "80 80", "81 ff 01", "de 00 41" })
        {
            ProtocolError error = Frames.DecodeError<ScoreRequest>(payload);
            writer.WriteError(output, 1, error);
        }
        ProtocolError frameError;
        FrameCodec.TryReadFrame(new ReadOnlySequence<byte>(Hex.Parse("00 10 00 00")), 4096, out _, out _, out frameError);
        writer.WriteError(output, 1, frameError);
    }
}
