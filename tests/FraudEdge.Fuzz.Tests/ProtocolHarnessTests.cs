using System.Buffers;
using FraudEdge.Fuzz.Targets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Fuzz.Tests;

/// <summary>The protocol targets' seeds and oracles: seeds must be valid (so mutation starts past the parser's
/// front door) and each oracle must be able to fire, or a quiet fuzz run proves nothing.</summary>
public sealed class ProtocolHarnessTests
{
    [Theory]
    [InlineData("score-request")]
    [InlineData("outcome-notice")]
    [InlineData("score-response")]
    [InlineData("status-response")]
    [InlineData("error-response")]
    public void Every_message_seed_decodes(string target)
    {
        foreach (byte[] seed in FuzzFiles.Corpus(target))
        {
            var payload = new ReadOnlySequence<byte>(seed);
            (OperationStatus status, ProtocolError error) = target switch
            {
                ProtocolScoreRequestTarget.Name => (ScoreRequest.TryRead(payload, out _, out var e), e),
                ProtocolOutcomeNoticeTarget.Name => (OutcomeNotice.TryRead(payload, out _, out var e), e),
                ProtocolScoreResponseTarget.Name => (ScoreResponse.TryRead(payload, out _, out var e), e),
                ProtocolStatusResponseTarget.Name => (StatusResponse.TryRead(payload, out _, out var e), e),
                _ => (ErrorResponse.TryRead(payload, out _, out var e), e),
            };
            Assert.True(status == OperationStatus.Done, $"{target}: {error}");
        }
    }

    [Fact]
    public void Every_frame_seed_is_a_stream_of_complete_frames_of_defined_types()
    {
        foreach (byte[] seed in FuzzFiles.Corpus(ProtocolFrameTarget.Name))
        {
            var buffer = new ReadOnlySequence<byte>(seed);
            int frames = 0;
            while (!buffer.IsEmpty)
            {
                Assert.Equal(OperationStatus.Done, FrameCodec.TryReadFrame(buffer, 4096, out Frame frame, out SequencePosition consumed, out _));
                Assert.True(Enum.IsDefined(frame.Header.Type));
                buffer = buffer.Slice(consumed);
                frames++;
            }
            Assert.True(frames > 0);
        }
        Assert.Contains(FuzzFiles.Corpus(ProtocolFrameTarget.Name), seed => seed.Length > 500); // the conversation: every type
    }

    [Fact]
    public void The_round_trip_oracle_fires_when_a_message_does_not_survive_write_and_read()
    {
        ProtocolOracle.RoundTrip(ProtocolSeeds.DocRequest);
        // An ATC without HasAtc is not written, so it reads back as 0: the oracle must notice.
        Assert.Throws<FuzzOracleException>(() => ProtocolOracle.RoundTrip(ProtocolSeeds.DocRequest with { HasAtc = false, Atc = 9 }));
        // An issuer response without a response code is written but refused when read back.
        Assert.Throws<FuzzOracleException>(() => ProtocolOracle.RoundTrip(ProtocolSeeds.IssuerDecline with { ResponseCode = 0 }));
    }

    [Fact]
    public void The_frame_target_accepts_refusals_and_partial_frames_as_the_spec_says()
    {
        ProtocolFrameTarget.Run([]);
        ProtocolFrameTarget.Run([0, 0, 0, 5]);                    // FrameTooShort
        ProtocolFrameTarget.Run([0, 0, 0x10, 1]);                 // FrameTooLarge, decided on 4 bytes
        ProtocolFrameTarget.Run([0, 0, 0, 7, 2, 5, 0, 0, 0, 1]);  // UnsupportedVersion
        ProtocolFrameTarget.Run([0, 0, 0, 7, 1, 5, 0, 0, 0, 1]);  // NeedMoreData
        ProtocolFrameTarget.Run([0, 0, 0, 7, 1, 0x42, 0, 0, 0, 1, 0x80]); // undefined type: a frame, no reader
        ProtocolFrameTarget.Run(ProtocolSeeds.Conversation());
    }
}
