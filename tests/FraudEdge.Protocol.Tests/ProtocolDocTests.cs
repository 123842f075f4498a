using System.Buffers;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;

namespace FraudEdge.Protocol.Tests;

/// <summary>
/// docs/protocol.md §8 is executable: every fenced hex block of "## 8. Worked examples" is one frame that
/// decodes to the values the text describes, and the C# encoder produces those exact bytes. If the doc or the
/// code drifts, this fails.
/// </summary>
public sealed class ProtocolDocTests
{
    internal readonly record struct DocFrame(string Section, byte[] Bytes);

    /// <summary>The hex blocks of §8 in order, each tagged with its "### 8.x" heading number.</summary>
    internal static IReadOnlyList<DocFrame> DocFrames()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "protocol.md"));
        var frames = new List<DocFrame>();
        bool inSection = false, inFence = false;
        string section = "";
        var hex = new List<string>();
        foreach (string line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line.StartsWith("## 8. Worked examples", StringComparison.Ordinal);
                continue;
            }
            if (!inSection) continue;
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                section = line[4..].Split(' ')[0]; // "8.1"
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inFence)
                {
                    frames.Add(new DocFrame(section, Hex.Parse(string.Join(' ', hex))));
                    hex.Clear();
                }
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                int comment = line.IndexOf(';', StringComparison.Ordinal);
                hex.Add(comment < 0 ? line : line[..comment]);
            }
        }
        Assert.False(inFence, "unterminated code fence in §8");
        return frames;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no FraudEdge.sln above {AppContext.BaseDirectory}");
    }

    private static byte[] Block(string section, int index = 0) => DocFrames().Where(f => f.Section == section).ElementAt(index).Bytes;

    [Fact]
    public void Section_8_has_the_five_examples_each_exactly_one_frame()
    {
        IReadOnlyList<DocFrame> frames = DocFrames();
        Assert.Equal(["8.1", "8.1", "8.2", "8.3", "8.4"], frames.Select(f => f.Section));
        foreach (DocFrame frame in frames)
        {
            Frame read = Frames.ReadOne(frame.Bytes); // length field = bytes after it, or this fails
            Assert.Equal(frame.Bytes.Length - 4, read.Header.Length);
        }
    }

    [Fact]
    public void Example_8_1_Ping_and_Pong_decode_and_are_what_the_encoder_writes()
    {
        byte[] ping = Block("8.1", 0);
        Frame pingFrame = Frames.ReadOne(ping);
        Assert.Equal(new FrameHeader(1, MessageType.Ping, 1, 7), pingFrame.Header);
        Frames.Decode<Ping>(ping);
        Assert.Equal(Hex.Format(ping), Hex.Format(Frames.Write(1, new Ping())));

        byte[] pong = Block("8.1", 1);
        Assert.Equal(1u, Frames.ReadOne(pong).Header.RequestId);
        Pong decoded = Frames.Decode<Pong>(pong);
        Assert.Equal(new Pong { ProtocolVersion = 1, UptimeMs = 1000 }, decoded);
        Assert.Equal(Hex.Format(pong), Hex.Format(Frames.Write(1, new Pong { ProtocolVersion = 1, UptimeMs = 1000 })));
    }

    [Fact]
    public void Example_8_2_ScoreRequest_decodes_to_the_described_transaction()
    {
        byte[] bytes = Block("8.2");
        Frame frame = Frames.ReadOne(bytes);
        Assert.Equal(MessageType.ScoreRequest, frame.Header.Type);
        Assert.Equal(2u, frame.Header.RequestId);
        ScoreRequest r = Frames.Decode<ScoreRequest>(bytes);

        Assert.Equal(12345ul, r.EventId);
        Assert.Equal("T0001", r.TerminalId.ToString());
        Assert.Equal("M42", r.MerchantId.ToString());
        Assert.Equal(DateTimeOffset.Parse("2025-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), r.TimestampMs);
        Assert.Equal(1, r.Kind);                    // purchase
        Assert.Equal(1234, r.AmountMinor);          // 12.34 EUR
        Assert.Equal(978, r.Currency);
        Assert.Equal(5411, r.MerchantCategoryCode); // grocery
        Assert.Equal(276, r.TerminalCountry);       // Germany
        Assert.Equal(Samples.DocToken, r.CardToken);
        Assert.Equal(411111u, r.Bin);
        Assert.Equal(1111, r.LastFour);
        Assert.Equal(1, r.Scheme);                  // Visa
        Assert.Equal(1, r.CardType);                // debit
        Assert.Equal(201, r.ServiceCode);
        Assert.Equal(2, r.EntryMode);               // contactless chip
        Assert.Equal(5, r.Cvm);                     // CDCVM
        Assert.True(r.HasAtc);
        Assert.Equal(7, r.Atc);
        Assert.Equal(3, r.Cryptogram);              // ARQC
        // Absent keys 4, 5, 7, 10, 19, 20, 25, 27 take their defaults.
        Assert.Equal(0, r.Lane);
        Assert.Equal(0u, r.OperatorId);
        Assert.Equal(0, r.LocalOffsetMinutes);
        Assert.Equal(0, r.CashbackMinor);
        Assert.Equal(0, r.IssuerCountry);
        Assert.Equal(0, r.ExpiryYyMm);
        Assert.Equal(0ul, r.Tvr);
        Assert.True(r.Attended);
        Assert.Equal(Samples.DocRequest, r);
        // The example happens to use the smallest encodings too, so the encoder reproduces it.
        Assert.Equal(Hex.Format(bytes), Hex.Format(Frames.Write(2, Samples.DocRequest)));
    }

    [Fact]
    public void Example_8_3_ScoreResponse_decodes_and_is_what_the_encoder_writes()
    {
        byte[] bytes = Block("8.3");
        Assert.Equal(2u, Frames.ReadOne(bytes).Header.RequestId);
        ScoreResponse r = Frames.Decode<ScoreResponse>(bytes);
        Assert.Equal(12345ul, r.EventId);
        Assert.Equal(1, r.Verdict);
        Assert.Equal(4, r.RiskScore);
        Assert.Equal(0.0123f, r.Probability);
        Assert.Equal(1ul << 8, r.Reasons); // ForeignCard
        Assert.Equal(1, r.Source);
        Assert.Equal(140u, r.ElapsedMicroseconds);
        Assert.Equal("1.0.0", r.ModelVersion.ToString());
        Assert.Equal(Hex.Format(bytes), Hex.Format(Frames.Write(2, Samples.DocResponse)));
    }

    [Fact]
    public void Example_8_4_Error_decodes_and_is_what_WriteError_writes()
    {
        byte[] bytes = Block("8.4");
        Assert.Equal(3u, Frames.ReadOne(bytes).Header.RequestId);
        ErrorResponse e = Frames.Decode<ErrorResponse>(bytes);
        Assert.Equal(ProtocolErrorCode.InvalidEvent, e.Code);
        Assert.Equal("BIN must be 6 to 8 digits with a non-zero first digit", e.Message);
        Assert.Equal("bin", e.Field);
        Assert.Equal(115, e.Detail); // ValidationErrorCode.InvalidBin

        Assert.Equal(Hex.Format(bytes), Hex.Format(Frames.Write(3, Samples.DocError)));
        var output = new ArrayBufferWriter<byte>();
        new FrameWriter().WriteError(output, 3, new ProtocolError(ProtocolErrorCode.InvalidEvent, "BIN must be 6 to 8 digits with a non-zero first digit", "bin"), detail: 115);
        Assert.Equal(Hex.Format(bytes), Hex.Format(output.WrittenSpan));
    }
}
