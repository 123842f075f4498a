using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests.Framing;

public sealed class FrameCodecTests
{
    private static OperationStatus Read(byte[] bytes, out Frame frame, out long consumed, out ProtocolError error, int max = 4096)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        OperationStatus status = FrameCodec.TryReadFrame(buffer, max, out frame, out SequencePosition position, out error);
        consumed = buffer.GetOffset(position);
        return status;
    }

    [Fact]
    public void A_complete_frame_is_done_and_consumes_exactly_its_bytes()
    {
        byte[] bytes = [.. Hex.Parse("00 00 00 07 01 05 00 00 00 01 80"), .. Hex.Parse("00 00 00")];
        Assert.Equal(OperationStatus.Done, Read(bytes, out Frame frame, out long consumed, out ProtocolError error));
        Assert.Equal(11, consumed);
        Assert.False(error.IsError);
        Assert.Equal(new FrameHeader(1, MessageType.Ping, 1, 7), frame.Header);
        Assert.Equal(1, frame.Header.PayloadLength);
        Assert.Equal([0x80], frame.Payload.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("00 00 00")]
    [InlineData("00 00 00 07")]
    [InlineData("00 00 00 07 01 05 00 00 00")]
    [InlineData("00 00 00 07 01 05 00 00 00 01")]
    [InlineData("00 00 10 00 01 05 00 00 00 01 80")] // length 4096, the maximum: waits for the rest
    public void An_incomplete_frame_needs_more_data_and_consumes_nothing(string hex)
    {
        Assert.Equal(OperationStatus.NeedMoreData, Read(Hex.Parse(hex), out _, out long consumed, out ProtocolError error));
        Assert.Equal(0, consumed);
        Assert.False(error.IsError);
    }

    [Theory]
    [InlineData("00 00 00 00")]
    [InlineData("00 00 00 05")]
    [InlineData("00 00 00 05 01 05 00 00 00 09")]
    public void A_length_below_6_is_too_short_from_the_four_length_bytes(string hex)
    {
        Assert.Equal(OperationStatus.InvalidData, Read(Hex.Parse(hex), out _, out long consumed, out ProtocolError error));
        Assert.Equal(ProtocolErrorCode.FrameTooShort, error.Code);
        Assert.True(error.ClosesConnection);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("00 00 10 01", 4097u)]
    [InlineData("ff ff ff ff", uint.MaxValue)]
    [InlineData("80 00 00 00", 0x8000_0000u)]
    public void A_length_above_the_maximum_is_refused_with_only_four_bytes_buffered(string hex, uint length)
    {
        Assert.Equal(OperationStatus.InvalidData, Read(Hex.Parse(hex), out Frame frame, out _, out ProtocolError error));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, error.Code);
        Assert.True(error.ClosesConnection);
        Assert.Equal((int)Math.Min(length, int.MaxValue), frame.Header.Length);
        Assert.Equal(0u, frame.Header.RequestId);
    }

    [Fact]
    public void The_maximum_is_the_callers()
    {
        byte[] bytes = Hex.Parse("00 00 00 0d 01 06 00 00 00 01 82 01 01 02 cd 03 e8");
        Assert.Equal(OperationStatus.Done, Read(bytes, out _, out _, out _, max: 13));
        Assert.Equal(OperationStatus.InvalidData, Read(bytes, out _, out _, out ProtocolError error, max: 12));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, error.Code);
        Assert.Equal(OperationStatus.InvalidData, Read(bytes, out _, out _, out error, max: -1));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, error.Code);
    }

    [Fact]
    public void A_too_large_frame_reports_the_request_id_when_ten_bytes_are_there()
    {
        Assert.Equal(OperationStatus.InvalidData, Read(Hex.Parse("00 01 00 00 01 01 00 00 00 2a"), out Frame frame, out _, out ProtocolError error));
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, error.Code);
        Assert.Equal(42u, frame.Header.RequestId);
    }

    [Fact]
    public void Another_version_is_refused_once_ten_bytes_are_there_with_the_request_id()
    {
        Assert.Equal(OperationStatus.NeedMoreData, Read(Hex.Parse("00 00 00 07 02 05 00 00 00"), out _, out _, out _));
        Assert.Equal(OperationStatus.InvalidData, Read(Hex.Parse("00 00 00 07 02 05 00 00 00 2a"), out Frame frame, out long consumed, out ProtocolError error));
        Assert.Equal(ProtocolErrorCode.UnsupportedVersion, error.Code);
        Assert.True(error.ClosesConnection);
        Assert.Equal(42u, frame.Header.RequestId);
        Assert.Equal(2, frame.Header.Version);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void An_undefined_type_is_a_frame_so_the_stream_stays_in_step()
    {
        Assert.Equal(OperationStatus.Done, Read(Hex.Parse("00 00 00 07 01 42 00 00 00 05 80"), out Frame frame, out long consumed, out _));
        Assert.Equal((MessageType)0x42, frame.Header.Type);
        Assert.Equal(11, consumed);
    }

    [Fact]
    public void The_smallest_frame_has_an_empty_payload()
    {
        Assert.Equal(OperationStatus.Done, Read(Hex.Parse("00 00 00 06 01 05 00 00 00 01"), out Frame frame, out long consumed, out _));
        Assert.Equal(10, consumed);
        Assert.True(frame.Payload.IsEmpty);
    }

    [Fact]
    public void Pipelined_frames_are_read_one_after_another()
    {
        IReadOnlyList<byte[]> frames = Samples.AllFrames();
        byte[] stream = [.. frames.SelectMany(f => f)];
        var buffer = new ReadOnlySequence<byte>(stream);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(OperationStatus.Done, FrameCodec.TryReadFrame(buffer, 4096, out Frame frame, out SequencePosition consumed, out _));
            Assert.Equal(frames[i].Length, buffer.Slice(0, consumed).Length);
            Assert.Equal(frames[i][10..], frame.Payload.ToArray());
            buffer = buffer.Slice(consumed);
        }
        Assert.True(buffer.IsEmpty);
        Assert.Equal(OperationStatus.NeedMoreData, FrameCodec.TryReadFrame(buffer, 4096, out _, out _, out _));
    }

    [Fact]
    public void Refusals_name_no_field_and_carry_a_constant_message()
    {
        Read(Hex.Parse("00 00 00 01"), out _, out _, out ProtocolError tooShort);
        Read(Hex.Parse("00 10 00 00"), out _, out _, out ProtocolError tooLarge);
        Read(Hex.Parse("00 00 00 07 00 05 00 00 00 01"), out _, out _, out ProtocolError version);
        foreach (ProtocolError error in new[] { tooShort, tooLarge, version })
        {
            Assert.Equal("", error.Field);
            Assert.False(string.IsNullOrEmpty(error.Message));
            Assert.Same(string.IsInterned(error.Message), error.Message);
        }
    }
}
