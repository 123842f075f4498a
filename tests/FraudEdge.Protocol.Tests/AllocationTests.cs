using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests;

/// <summary>
/// "Nothing allocated per decision" (CONVENTIONS.md §4), measured: after warm-up, 10,000 frames written or
/// read on the hot path allocate zero managed bytes on this thread.
/// </summary>
public sealed class AllocationTests
{
    private const int Frames10K = 10_000;

    /// <summary>
    /// Bytes allocated by 10,000 calls in steady state. The runtime itself allocates a few dozen bytes once on the
    /// calling thread when tiered PGO moves a hot loop to its next tier (measured: 32–72 bytes, gone with
    /// DOTNET_TieredPGO=0), at a moment that depends on timing; so the best of a few 10,000-call rounds is taken.
    /// A real per-call allocation shows in every round: 10,000 calls × at least 24 bytes.
    /// </summary>
    private static long AllocatedBy(Action<int> body)
    {
        for (int i = 0; i < 5_000; i++) body(i); // warm-up: JIT tiers, static constructors, first-call paths
        long best = long.MaxValue;
        for (int round = 0; round < 5 && best != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Frames10K; i++) body(i);
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return best;
    }

    [Fact]
    public void Writing_hot_path_frames_allocates_nothing()
    {
        var writer = new FrameWriter();
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        ScoreResponse response = Samples.DocResponse;
        ScoreRequest request = Samples.FullRequest;
        OutcomeNotice notice = Samples.IssuerDecline;
        var error = new ProtocolError(ProtocolErrorCode.MalformedPayload, "a value is cut short by the end of the payload", "bin");

        Assert.Equal(0, AllocatedBy(i =>
        {
            output.ResetWrittenCount();
            response.EventId = (ulong)i;
            writer.Write(output, (uint)i, response);
        }));
        Assert.Equal(0, AllocatedBy(i =>
        {
            output.ResetWrittenCount();
            writer.Write(output, (uint)i, request);
            writer.Write(output, (uint)i, notice);
            writer.Write(output, (uint)i, new Ack { EventId = (ulong)i });
            writer.Write(output, (uint)i, new Pong { ProtocolVersion = 1, UptimeMs = (ulong)i });
            writer.WriteError(output, (uint)i, error, detail: 7);
        }));
        Assert.True(output.WrittenCount > 0);
    }

    [Fact]
    public void Reading_a_score_request_frame_allocates_nothing_in_one_segment_or_many()
    {
        byte[] bytes = [.. Frames.Write(9, Samples.FullRequest), .. Frames.Write(10, Samples.DocRequest)];
        ReadOnlySequence<byte> contiguous = Segments.Single(bytes);
        ReadOnlySequence<byte> fragmented = Segments.OneBytePerSegment(bytes);
        ulong sum = 0;

        foreach (ReadOnlySequence<byte> input in new[] { contiguous, fragmented })
        {
            Assert.Equal(0, AllocatedBy(iteration =>
            {
                ReadOnlySequence<byte> buffer = input;
                while (FrameCodec.TryReadFrame(buffer, 4096, out Frame frame, out SequencePosition consumed, out _) == OperationStatus.Done)
                {
                    if (ScoreRequest.TryRead(frame.Payload, out ScoreRequest request, out _) == OperationStatus.Done) sum += request.EventId;
                    buffer = buffer.Slice(consumed);
                }
            }));
        }
        Assert.NotEqual(0ul, sum);
    }

    [Fact]
    public void Reading_every_other_hot_path_message_allocates_nothing()
    {
        byte[] response = Frames.PayloadOf(Frames.Write(1, Samples.DocResponse));
        byte[] notice = Frames.PayloadOf(Frames.Write(1, Samples.IssuerDecline));
        byte[] ack = Frames.PayloadOf(Frames.Write(1, new Ack { EventId = 5 }));
        byte[] pong = Frames.PayloadOf(Frames.Write(1, new Pong { ProtocolVersion = 1, UptimeMs = 1000 }));
        byte[] ping = Frames.PayloadOf(Frames.Write(1, new Ping()));
        byte[] bad = Hex.Parse("81 08 cd 01 2c"); // a refusal: the error is built from constants
        var r = new ReadOnlySequence<byte>(response);
        var n = new ReadOnlySequence<byte>(notice);
        var a = new ReadOnlySequence<byte>(ack);
        var p = new ReadOnlySequence<byte>(pong);
        var g = new ReadOnlySequence<byte>(ping);
        var b = new ReadOnlySequence<byte>(bad);
        int failures = 0;

        Assert.Equal(0, AllocatedBy(iteration =>
        {
            failures += ScoreResponse.TryRead(r, out _, out _) == OperationStatus.Done ? 0 : 1;
            failures += OutcomeNotice.TryRead(n, out _, out _) == OperationStatus.Done ? 0 : 1;
            failures += Ack.TryRead(a, out _, out _) == OperationStatus.Done ? 0 : 1;
            failures += Pong.TryRead(p, out _, out _) == OperationStatus.Done ? 0 : 1;
            failures += Ping.TryRead(g, out _, out _) == OperationStatus.Done ? 0 : 1;
            failures += ScoreRequest.TryRead(b, out _, out _) == OperationStatus.InvalidData ? 0 : 1;
        }));
        Assert.Equal(0, failures); // every read decoded (or refused) as expected
    }
}
