using FraudEdge.Core.Tokenization;
using FraudEdge.Data;
using FraudEdge.Data.Dataset;
using FraudEdge.Data.EventLog;
using FraudEdge.Data.Tests.Dataset;

namespace FraudEdge.Simulator.Tests;

/// <summary>Simulator → dataset export, end to end, on a small 10-day log.</summary>
public sealed class SimulatedDatasetTests : IDisposable
{
    private static readonly SimulationOptions Options = new() { Seed = 3, Days = 10, Terminals = 16, FraudRateMultiplier = 2 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"fe-simds-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Exported_labels_respect_the_label_delay_and_typologies_are_ground_truth()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "sim.felog");
        byte[] bytes = SimulatedLog.Simulate(Options);
        File.WriteAllBytes(path, bytes);
        var records = new List<EventLogRecord>();
        using (var reader = new EventLogReader(new MemoryStream(bytes)))
            while (reader.Read(out var record)) records.Add(record);
        var options = new DatasetOptions { LabelDelayDays = 3, ValidationDays = 2, TestDays = 3 };
        var summary = new DatasetExporter(options).Export(path, Path.Combine(_dir, "ds"));
        var t = summary.Timeline;

        // Expected labels recomputed straight from the log.
        var firstFraud = new Dictionary<ulong, long>();
        foreach (var r in records.Where(r => r.Kind == EventLogRecordKind.Notice && r.Notice.IsFraudLabel))
            if (!firstFraud.TryGetValue(r.Notice.EventId, out long at) || r.Notice.TimestampUtcMs < at) firstFraud[r.Notice.EventId] = r.Notice.TimestampUtcMs;
        var events = records.Where(r => r.Kind == EventLogRecordKind.Event).ToList();

        foreach (var (name, from, to, test) in new[] { ("train", t.T0, t.T1, false), ("val", t.T1, t.T2, false), ("test", t.T3, t.T4, true) })
        {
            var inSplit = events.Where(r => r.Event.TimestampUtcMs >= from && r.Event.TimestampUtcMs < to).ToList();
            byte[] labels = NpyFile.Read(Path.Combine(_dir, "ds", $"{name}.labels.npy")).Data;
            byte[] typology = NpyFile.Read(Path.Combine(_dir, "ds", $"{name}.typology.npy")).Data;
            var tokens = NpyFile.Read(Path.Combine(_dir, "ds", $"{name}.tokens.npy"));
            Assert.Equal(inSplit.Count, labels.Length);
            Assert.Equal([inSplit.Count, Tokenizer.SequenceLength], tokens.Shape);
            for (int i = 0; i < inSplit.Count; i++)
            {
                bool known = firstFraud.TryGetValue(inSplit[i].Event.EventId, out long at) && (test || at < t.T3);
                Assert.Equal(known ? 1 : 0, labels[i]);
                Assert.Equal((byte)inSplit[i].Typology, typology[i]);
            }
        }
        Assert.True(summary.LateLabels[(int)DatasetSplit.Validation] > 0, "some validation fraud is only reported after t3");
        Assert.True(summary.Counts[(int)DatasetSplit.Gap] > 0);
        Assert.True(summary.Positives[(int)DatasetSplit.Test] > 0);
    }
}
