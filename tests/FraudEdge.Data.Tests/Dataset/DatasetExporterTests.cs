using System.Text.Json;
using FraudEdge.Core.Events;
using FraudEdge.Core.Tokenization;
using FraudEdge.Data.Dataset;
using FraudEdge.Data.EventLog;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Data.Tests.Dataset;

public sealed class DatasetExporterTests : IDisposable
{
    private const long Day = LogSamples.Day;
    private const long Hour = 3_600_000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"fe-ds-{Guid.NewGuid():N}");

    // 20 UTC days from t0 = 2026-01-05; val 2, label delay 3, test 3 → t1 = day 12, t2 = day 14, t3 = day 17, t4 = day 20.
    private static readonly DatasetOptions Options = new() { LabelDelayDays = 3, ValidationDays = 2, TestDays = 3 };
    private static long At(double day) => LogSamples.Start + (long)(day * Day);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>(event day, typology, fraud notice arrival day or null, chargeback instead of report).</summary>
    private static readonly (double Day, FraudTypology Typology, double? Notice, bool Chargeback)[] Plan =
    [
        (0.5, FraudTypology.Legitimate, null, false),
        (5.5, FraudTypology.SkimmedClone, 16.9, false),          // train, known before t3 → 1
        (6.5, FraudTypology.StolenCardSpree, 17.0, false),       // train, arrives exactly at t3 → 0
        (7.5, FraudTypology.Legitimate, null, false),
        (12.5, FraudTypology.CardTesting, 30.0, false),          // val, arrives after t3 → 0
        (13.5, FraudTypology.KeyEnteredAttended, 16.5, false),   // val, before t3 → 1
        (15.5, FraudTypology.AtcAnomaly, 16.0, false),           // gap → not exported
        (16.9, FraudTypology.Legitimate, null, false),           // gap
        (17.5, FraudTypology.RefundAbuse, 45.0, true),           // test, chargeback whenever → 1
        (18.5, FraudTypology.ContactlessOverLimit, null, false), // test, never labelled → 0
        (19.5, FraudTypology.Legitimate, null, false),
    ];

    private string WriteLog()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "log.felog");
        var notices = new List<OutcomeNotice>();
        using (var writer = EventLogWriter.Create(path, LogSamples.Header))
        {
            for (int i = 0; i < Plan.Length; i++)
            {
                var (day, typology, notice, chargeback) = Plan[i];
                var evt = LogSamples.Event((ulong)(i + 1), At(day), card: 1 + (i % 3), terminal: i % 2 == 0 ? "T1" : "T2");
                FlushBefore(writer, notices, evt.TimestampUtcMs);
                writer.WriteEvent(evt, typology);
                notices.Add(LogSamples.Notice(evt, evt.TimestampUtcMs + 1500, OutcomeKind.IssuerResponse, "00"));
                if (notice is double n) notices.Add(LogSamples.Notice(evt, At(n), chargeback ? OutcomeKind.Chargeback : OutcomeKind.FraudReported));
            }
            FlushBefore(writer, notices, long.MaxValue);
            writer.Complete();
        }
        return path;
    }

    private static void FlushBefore(EventLogWriter writer, List<OutcomeNotice> notices, long before)
    {
        notices.Sort((a, b) => a.TimestampUtcMs.CompareTo(b.TimestampUtcMs));
        while (notices.Count > 0 && notices[0].TimestampUtcMs < before)
        {
            writer.WriteNotice(notices[0]);
            notices.RemoveAt(0);
        }
    }

    [Fact]
    public void Splits_honour_the_label_delay_and_exclude_the_gap()
    {
        string log = WriteLog();
        string outDir = Path.Combine(_dir, "ds");
        var summary = new DatasetExporter(Options).Export(log, outDir);

        Assert.Equal(At(0) - (At(0) % Day), summary.Timeline.T0);
        Assert.Equal(summary.Timeline.T0 + 17 * Day, summary.Timeline.T3);

        var train = Load(outDir, "train");
        var val = Load(outDir, "val");
        var test = Load(outDir, "test");
        Assert.Equal([0, 1, 0, 0], train.Labels);
        Assert.Equal([(byte)FraudTypology.Legitimate, (byte)FraudTypology.SkimmedClone, (byte)FraudTypology.StolenCardSpree, (byte)FraudTypology.Legitimate], train.Typology);
        Assert.Equal([0, 1], val.Labels);
        Assert.Equal([(byte)FraudTypology.CardTesting, (byte)FraudTypology.KeyEnteredAttended], val.Typology);
        Assert.Equal([1, 0, 0], test.Labels);
        Assert.Equal([(byte)FraudTypology.RefundAbuse, (byte)FraudTypology.ContactlessOverLimit, (byte)FraudTypology.Legitimate], test.Typology);
        Assert.Equal(2, summary.Counts[(int)DatasetSplit.Gap]);
        Assert.Equal(1, summary.LateLabels[(int)DatasetSplit.Train]);
        Assert.Equal(1, summary.LateLabels[(int)DatasetSplit.Validation]);

        // No exported event lies in the gap, and days are UTC day numbers.
        long gapFrom = summary.Timeline.T2 / Day, gapTo = summary.Timeline.T3 / Day;
        Assert.All(train.Day.Concat(val.Day).Concat(test.Day), d => Assert.False(d >= gapFrom && d < gapTo));
        Assert.Equal(At(0.5) / Day, train.Day[0]);

        // Dense card indices in first-export order; tokens are fe-tok-1 ids.
        Assert.Equal([0, 1, 2, 0], train.Card);
        Assert.All(train.Tokens.Concat(val.Tokens).Concat(test.Tokens), t => Assert.InRange(t, 0, Tokenizer.VocabularySize - 1));
        Assert.All(Enumerable.Range(0, train.Labels.Length), r => Assert.Equal(Vocabulary.Cls, train.Tokens[r * Tokenizer.SequenceLength]));
    }

    [Fact]
    public void Dataset_json_follows_the_contract()
    {
        string log = WriteLog();
        string outDir = Path.Combine(_dir, "ds");
        new DatasetExporter(Options).Export(log, outDir);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "dataset.json")));
        var root = doc.RootElement;
        Assert.Equal("fe-dataset-1", root.GetProperty("format").GetString());
        Assert.Equal(Tokenizer.Version, root.GetProperty("tokenizer").GetString());
        Assert.Equal(48, root.GetProperty("seq_len").GetInt32());
        Assert.Equal(Tokenizer.VocabularySize, root.GetProperty("vocab_size").GetInt32());
        Assert.Equal(0, root.GetProperty("special_tokens").GetProperty("pad").GetInt32());
        Assert.Equal(3, root.GetProperty("special_tokens").GetProperty("mask").GetInt32());
        Assert.Equal(3, root.GetProperty("label_delay_days").GetInt32());
        Assert.Equal(AggregateFeatures.Count, root.GetProperty("feature_names").GetArrayLength());
        Assert.Equal("card_testing", root.GetProperty("typologies").GetProperty("1").GetString());
        Assert.Equal("contactless_over_limit", root.GetProperty("typologies").GetProperty("7").GetString());
        var train = root.GetProperty("splits").GetProperty("train");
        Assert.Equal(4, train.GetProperty("count").GetInt32());
        Assert.Equal(1, train.GetProperty("positives").GetInt32());
        Assert.Equal("2026-01-05T00:00:00Z", train.GetProperty("from_utc").GetString());
        Assert.Equal("2026-01-22T00:00:00Z", root.GetProperty("splits").GetProperty("test").GetProperty("from_utc").GetString());
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(log)));
        Assert.Equal(sha, root.GetProperty("source_log_sha256").GetString());
        var features = NpyFile.Read(Path.Combine(outDir, "train.features.npy"));
        Assert.Equal("<f4", features.Descr);
        Assert.Equal([4, AggregateFeatures.Count], features.Shape);
        Assert.Equal("|u1", NpyFile.Read(Path.Combine(outDir, "train.labels.npy")).Descr);
        Assert.Equal([4], NpyFile.Read(Path.Combine(outDir, "train.labels.npy")).Shape);
    }

    [Fact]
    public void A_log_too_short_for_the_splits_is_refused()
    {
        string log = WriteLog();
        var options = new DatasetOptions { LabelDelayDays = 7, ValidationDays = 7, TestDays = 7 };
        var e = Assert.Throws<ArgumentException>(() => new DatasetExporter(options).Export(log, Path.Combine(_dir, "x")));
        Assert.Contains("spans 20 UTC days", e.Message, StringComparison.Ordinal);
    }

    /// <summary>For any notice time, train/val see a label only if it arrived before t3; test sees any label.</summary>
    [Property(MaxTest = 500)]
    public Property Label_rule_never_leaks_a_label_from_the_future() =>
        Prop.ForAll(Gen.Choose(0, 20 * 24).ToArbitrary(), Gen.Choose(-1, 60 * 24).ToArbitrary(), (eventHour, noticeHour) =>
        {
            var timeline = DatasetTimeline.From(At(0), At(19.5), Options);
            long ts = At(0) + eventHour * Hour;
            long notice = noticeHour < 0 ? long.MaxValue : ts + noticeHour * Hour;
            var split = timeline.SplitOf(ts);
            bool label = timeline.Label(split, notice);
            bool expected = split switch
            {
                DatasetSplit.Test => notice != long.MaxValue,
                _ => notice < timeline.T3,
            };
            return label == expected && (split != DatasetSplit.Gap || ts >= timeline.T2 && ts < timeline.T3);
        });

    private sealed record Split(int[] Tokens, byte[] Labels, byte[] Typology, int[] Day, int[] Card);

    private static Split Load(string dir, string split)
    {
        var tokens = NpyFile.Read(Path.Combine(dir, $"{split}.tokens.npy"));
        Assert.Equal("<i4", tokens.Descr);
        Assert.Equal(Tokenizer.SequenceLength, tokens.Shape[1]);
        var labels = NpyFile.Read(Path.Combine(dir, $"{split}.labels.npy"));
        Assert.Equal(tokens.Shape[0], labels.Shape[0]);
        return new Split(tokens.As<int>(), labels.Data, NpyFile.Read(Path.Combine(dir, $"{split}.typology.npy")).Data,
            NpyFile.Read(Path.Combine(dir, $"{split}.day.npy")).As<int>(), NpyFile.Read(Path.Combine(dir, $"{split}.card.npy")).As<int>());
    }
}
