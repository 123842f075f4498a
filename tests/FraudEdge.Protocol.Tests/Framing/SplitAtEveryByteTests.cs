using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Tests.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests.Framing;

/// <summary>
/// A pipe hands over whatever the socket delivered: the same frame must parse identically however its bytes
/// are cut into segments, with the next frame's first bytes (guard bytes) after it left unconsumed; every
/// strict prefix must be NeedMoreData consuming nothing.
/// </summary>
public sealed class SplitAtEveryByteTests
{
    /// <summary>The start of the next frame, a Ping: must never be consumed with this one.</summary>
    private static readonly byte[] Guard = Hex.Parse("00 00 00 07 01 05 00");

    public static TheoryData<int> FrameIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ValidFrames.Count; i++) data.Add(i);
        return data;
    }

    private static IReadOnlyList<byte[]> ValidFrames { get; } = [.. Samples.AllFrames(), .. ProtocolDocTests.DocFrames().Select(f => f.Bytes), .. HandBuiltPayloadTests.HandBuiltFrames()];

    [Theory]
    [MemberData(nameof(FrameIndexes))]
    public void Every_two_segment_split_and_one_byte_segments_parse_identically(int index)
    {
        byte[] frameBytes = ValidFrames[index];
        byte[] bytes = [.. frameBytes, .. Guard];
        Reference reference = Parse(Segments.Single(bytes));
        Assert.Equal(frameBytes.Length, reference.Consumed);

        for (int split = 0; split <= bytes.Length; split++)
            Assert.Equal(reference, Parse(Segments.SplitAt(bytes, split)));
        Assert.Equal(reference, Parse(Segments.OneBytePerSegment(bytes)));
    }

    [Theory]
    [MemberData(nameof(FrameIndexes))]
    public void Every_strict_prefix_needs_more_data_and_consumes_nothing(int index)
    {
        byte[] frameBytes = ValidFrames[index];
        for (int length = 0; length < frameBytes.Length; length++)
        {
            byte[] prefix = frameBytes[..length];
            foreach (ReadOnlySequence<byte> buffer in new[] { Segments.Single(prefix), Segments.OneBytePerSegment(prefix) })
            {
                Assert.Equal(OperationStatus.NeedMoreData, FrameCodec.TryReadFrame(buffer, 4096, out _, out SequencePosition consumed, out ProtocolError error));
                Assert.Equal(0, buffer.GetOffset(consumed));
                Assert.False(error.IsError);
            }
        }
    }

    private readonly record struct Reference(OperationStatus Status, FrameHeader Header, long Consumed, string Payload, Decoded Decoded);

    private static Reference Parse(ReadOnlySequence<byte> buffer)
    {
        OperationStatus status = FrameCodec.TryReadFrame(buffer, 4096, out Frame frame, out SequencePosition consumed, out ProtocolError error);
        Assert.True(status == OperationStatus.Done, $"{status} {error}");
        // The payload is decoded from the (possibly multi-segment) slice itself: the message readers' slow paths too.
        Decoded decoded = Decoded.Of(frame.Header.Type, frame.Payload);
        return new Reference(status, frame.Header, buffer.GetOffset(consumed), Hex.Format(frame.Payload.ToArray()), decoded);
    }
}
