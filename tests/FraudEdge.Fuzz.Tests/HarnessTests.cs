using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz.Tests;

/// <summary>The harness itself: its byte layout, its seeds and its oracles must be right, or a fuzz run proves nothing.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void Event_and_notice_layouts_round_trip_every_field()
    {
        var evt = SeedEvents.Purchase(42, card: 9, amountMinor: 123_456, at: SeedEvents.Morning) with
        {
            Tvr = TerminalVerificationResults.CdaFailed | TerminalVerificationResults.NewCard, CashbackMinor = 1_000,
            Bin = new Bin(52000012, 8), Attended = false, LocalOffsetMinutes = -300, OperatorId = 0xDEADBEEF,
        };
        Span<byte> bytes = stackalloc byte[EventLayout.EventSize];
        EventLayout.WriteEvent(evt, bytes);
        ReadOnlySpan<byte> input = bytes;
        Assert.True(EventLayout.TryReadEvent(ref input, out TransactionEvent back));
        Assert.True(input.IsEmpty);
        Assert.Equal(evt, back);

        var notice = SeedEvents.Response(evt, "05");
        Span<byte> nb = stackalloc byte[EventLayout.NoticeSize];
        EventLayout.WriteNotice(notice, nb);
        ReadOnlySpan<byte> ni = nb;
        Assert.True(EventLayout.TryReadNotice(ref ni, out OutcomeNotice noticeBack));
        Assert.Equal(notice, noticeBack);
    }

    [Fact]
    public void Truncated_records_are_not_read()
    {
        ReadOnlySpan<byte> shortEvent = new byte[EventLayout.EventSize - 1];
        Assert.False(EventLayout.TryReadEvent(ref shortEvent, out _));
        ReadOnlySpan<byte> shortNotice = new byte[EventLayout.NoticeSize - 1];
        Assert.False(EventLayout.TryReadNotice(ref shortNotice, out _));
    }

    [Theory]
    [InlineData("single-purchase.bin", 1, 0)]
    [InlineData("grocery-morning.bin", 20, 0)]
    [InlineData("card-testing-burst.bin", 14, 0)]
    [InlineData("fallback-and-atc.bin", 9, 0)]
    [InlineData("three-lanes.bin", 12, 0)]
    [InlineData("edge-values.bin", 3, 1)]
    public void Event_seeds_are_real_valid_events_so_fuzzing_starts_past_the_validator(string file, int valid, int refused)
    {
        ReadOnlySpan<byte> input = FuzzFiles.Read(Path.Combine("corpus", EventTarget.Name, file));
        var history = new TerminalHistory(EventTarget.Limits);
        int ok = 0, bad = 0, notices = 0;
        while (!input.IsEmpty)
        {
            byte tag = input[0];
            input = input[1..];
            if ((tag & 1) == 0)
            {
                Assert.True(EventLayout.TryReadEvent(ref input, out TransactionEvent evt));
                if (EventValidator.Validate(evt, history.LastTimestamp(evt.TerminalId)).IsValid)
                {
                    ok++;
                    history.Describe(evt, out _);
                    history.Observe(evt);
                }
                else
                {
                    bad++;
                }
            }
            else
            {
                Assert.True(EventLayout.TryReadNotice(ref input, out OutcomeNotice notice));
                Assert.True(EventValidator.Validate(notice).IsValid);
                notices++;
            }
        }
        Assert.Equal(valid, ok);
        Assert.Equal(refused, bad);
    }

    [Fact]
    public void Committed_corpus_matches_the_generator()
    {
        foreach (var (target, file, bytes) in SeedCorpus.Build())
        {
            byte[] committed = FuzzFiles.Read(Path.Combine("corpus", target, file));
            Assert.True(bytes.AsSpan().SequenceEqual(committed),
                $"fuzz/corpus/{target}/{file} is stale (the event layout or the snapshot format changed): " +
                "regenerate with `dotnet run --project fuzz/FraudEdge.Fuzz -- make-corpus fuzz/corpus`");
        }
    }

    [Fact]
    public void The_populated_snapshot_seed_is_accepted_and_the_payload_framing_reproduces_it()
    {
        byte[] snapshot = FuzzFiles.Read(Path.Combine("corpus", SnapshotTarget.Name, "populated.snap"));
        Assert.True(HistorySnapshot.TryRead(snapshot, new TerminalHistory(SnapshotTarget.Limits), out SnapshotError error), error.ToString());
        Assert.Equal(snapshot, SnapshotTarget.Frame(SnapshotTarget.PayloadOf(snapshot)));
        Assert.NotEqual(SnapshotTarget.EmptySnapshot.ToArray(), snapshot);
    }

    [Fact]
    public void The_payload_target_reaches_the_invariant_checks_past_the_crc()
    {
        byte[] payload = FuzzFiles.Read(Path.Combine("corpus", SnapshotPayloadTarget.Name, "populated.payload"));
        payload[0] = 0xFF; // the restored "last terminal" index, far outside the terminal table
        var target = new TerminalHistory(SnapshotTarget.Limits);
        Assert.False(HistorySnapshot.TryRead(SnapshotTarget.Frame(payload), target, out SnapshotError error));
        Assert.Equal(SnapshotError.InvariantViolated, error);
        SnapshotPayloadTarget.Run(payload); // refused cleanly: no exception, no trace left
    }

    [Fact]
    public void A_flipped_byte_in_a_real_snapshot_is_refused_by_the_snapshot_target_without_throwing()
    {
        byte[] snapshot = FuzzFiles.Read(Path.Combine("corpus", SnapshotTarget.Name, "populated.snap"));
        snapshot[snapshot.Length / 2] ^= 0x10;
        Assert.False(HistorySnapshot.TryRead(snapshot, new TerminalHistory(SnapshotTarget.Limits), out SnapshotError error));
        Assert.Equal(SnapshotError.ChecksumMismatch, error);
        SnapshotTarget.Run(snapshot);
    }

    [Fact]
    public void The_token_oracle_fires_on_an_out_of_range_id_and_a_missing_cls()
    {
        int[] tokens = new int[48];
        tokens[0] = 2; // [CLS]
        EventTarget.CheckTokens(tokens, vocabulary: 300);
        tokens[17] = 300;
        Assert.Throws<FuzzOracleException>(() => EventTarget.CheckTokens(tokens, vocabulary: 300));
        tokens[17] = -1;
        Assert.Throws<FuzzOracleException>(() => EventTarget.CheckTokens(tokens, vocabulary: 300));
        tokens[17] = 5;
        tokens[0] = 0;
        Assert.Throws<FuzzOracleException>(() => EventTarget.CheckTokens(tokens, vocabulary: 300));
    }
}
