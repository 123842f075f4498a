using FraudEdge.Core.Events;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;
using FraudEdge.Data.EventLog;
using FraudEdge.Data.Replay;

namespace FraudEdge.Data.Tests.Replay;

public class EventLogReplayTests
{
    [Fact]
    public void Each_event_is_described_before_it_is_observed_and_notices_apply_in_order()
    {
        long t = LogSamples.Start;
        var first = LogSamples.Event(1, t, card: 5);
        var second = LogSamples.Event(2, t + 60_000, card: 5);
        var third = LogSamples.Event(3, t + 120_000, card: 5);
        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, LogSamples.Header, leaveOpen: true))
        {
            writer.WriteEvent(first, FraudTypology.Legitimate);
            writer.WriteEvent(second, FraudTypology.StolenCardSpree);
            writer.WriteNotice(LogSamples.Notice(second, t + 100_000, OutcomeKind.FraudReported));
            writer.WriteEvent(third, FraudTypology.StolenCardSpree);
            writer.Complete();
        }
        var limits = HardwareProfiles.Resolve("store-x64").History;
        using var replay = new EventLogReplay(new EventLogReader(new MemoryStream(stream.ToArray())), limits, ownsReader: true);

        Assert.True(replay.MoveNextEvent());
        Assert.Equal(1UL, replay.Event.EventId);
        Assert.Equal(0, replay.Context.CardEvents); // nothing known before the first event
        Assert.Equal(Vocabulary.Cls, replay.Tokens[0]);
        Assert.Equal(AggregateFeatures.Count, replay.Features.Length);
        Assert.Equal(FraudTypology.Legitimate, replay.Typology);

        Assert.True(replay.MoveNextEvent());
        Assert.Equal(1, replay.Context.CardEvents); // the first event was observed, this one not yet
        Assert.False(replay.Context.CardHotListed);
        Assert.Equal(FraudTypology.StolenCardSpree, replay.Typology);

        Assert.True(replay.MoveNext());
        Assert.Equal(EventLogRecordKind.Notice, replay.Kind);
        Assert.True(replay.NoticeMatched);

        Assert.True(replay.MoveNext());
        Assert.Equal(3UL, replay.Event.EventId);
        Assert.Equal(2, replay.Context.CardEvents);
        Assert.True(replay.Context.CardHotListed); // the fraud report arrived before this event
        Assert.False(replay.MoveNext());
        Assert.Equal(3, replay.EventCount);
        Assert.Equal(1, replay.NoticeCount);
    }

    [Fact]
    public void Tokens_match_a_direct_run_of_the_core()
    {
        var limits = HardwareProfiles.Resolve("store-x64").History;
        byte[] log = LogSamples.SmallLog();
        var history = new FraudEdge.Core.History.TerminalHistory(limits);
        var expected = new List<int[]>();
        foreach (var record in LogSamples.ReadAll(log))
        {
            if (record.Kind == EventLogRecordKind.Notice)
            {
                history.Record(record.Notice);
                continue;
            }
            history.Describe(record.Event, out var context);
            var tokens = new int[Tokenizer.SequenceLength];
            Tokenizer.Tokenize(record.Event, context, tokens);
            expected.Add(tokens);
            history.Observe(record.Event);
        }
        using var replay = new EventLogReplay(new EventLogReader(new MemoryStream(log)), limits, computeFeatures: false, ownsReader: true);
        int i = 0;
        while (replay.MoveNextEvent()) Assert.Equal(expected[i++], replay.Tokens.ToArray());
        Assert.Equal(expected.Count, i);
        Assert.Equal(0, replay.Features.Length);
    }
}
