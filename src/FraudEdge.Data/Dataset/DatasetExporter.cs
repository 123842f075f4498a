using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;
using FraudEdge.Data.EventLog;
using FraudEdge.Data.Replay;

namespace FraudEdge.Data.Dataset;

/// <summary>
/// Writes the fe-dataset-1 folder (docs/dataset-and-bundle.md): the log replayed in time order through the
/// core's history and tokenizer, cut by time into train / val / (gap) / test, labels limited by the label
/// delay, as .npy arrays plus dataset.json. Two streaming passes over the log: the first finds the time span
/// and when each event's first fraud notice arrived, the second replays and writes.
/// </summary>
public sealed class DatasetExporter
{
    public const string Format = "fe-dataset-1";

    private static readonly string[] SplitNames = ["train", "val", "gap", "test"];

    private readonly DatasetOptions _options;

    public DatasetExporter(DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public DatasetSummary Export(string logPath, string outDir)
    {
        var clock = Stopwatch.StartNew();
        var limits = HardwareProfiles.Resolve(_options.Profile).History;

        // Pass 1: time span and the first fraud notice of each event.
        var firstFraud = new Dictionary<(UInt128 Terminal, ulong EventId), long>();
        long firstEvent = long.MaxValue, lastEvent = long.MinValue, events = 0;
        using (var reader = EventLogReader.Open(logPath))
        {
            while (reader.Read(out var record))
            {
                if (record.Kind == EventLogRecordKind.Event)
                {
                    firstEvent = Math.Min(firstEvent, record.Event.TimestampUtcMs);
                    lastEvent = Math.Max(lastEvent, record.Event.TimestampUtcMs);
                    events++;
                }
                else if (record.Notice.IsFraudLabel)
                {
                    var key = (record.Notice.TerminalId.Packed, record.Notice.EventId);
                    if (!firstFraud.TryGetValue(key, out long at) || record.Notice.TimestampUtcMs < at)
                        firstFraud[key] = record.Notice.TimestampUtcMs;
                }
            }
        }
        if (events == 0) throw new ArgumentException("the event log holds no events");
        var timeline = DatasetTimeline.From(firstEvent, lastEvent, _options);
        var summary = new DatasetSummary { Timeline = timeline };

        Directory.CreateDirectory(outDir);
        string sha;
        using (var file = File.OpenRead(logPath)) sha = Convert.ToHexStringLower(SHA256.HashData(file));
        summary.SourceSha256 = sha;

        // Pass 2: replay and write.
        int featureCount = AggregateFeatures.Count;
        var writers = new SplitWriters?[4];
        foreach (int s in new[] { 0, 1, 3 }) writers[s] = new SplitWriters(outDir, SplitNames[s], featureCount);
        var cardIndex = new Dictionary<UInt128, int>();
        try
        {
            using var replay = new EventLogReplay(EventLogReader.Open(logPath), limits, computeFeatures: true, ownsReader: true);
            while (replay.MoveNext())
            {
                if (replay.Kind != EventLogRecordKind.Event)
                {
                    summary.Notices++;
                    continue;
                }
                ref readonly var evt = ref replay.Event;
                var split = timeline.SplitOf(evt.TimestampUtcMs);
                long fraudAt = firstFraud.TryGetValue((evt.TerminalId.Packed, evt.EventId), out long at) ? at : long.MaxValue;
                bool label = timeline.Label(split, fraudAt);
                summary.Counts[(int)split]++;
                if (label) summary.Positives[(int)split]++;
                if (!label && fraudAt != long.MaxValue) summary.LateLabels[(int)split]++;
                var w = writers[(int)split];
                if (w is null) continue; // gap: replayed for history, not exported
                if (!cardIndex.TryGetValue(evt.CardToken.Value, out int card))
                {
                    card = cardIndex.Count;
                    cardIndex.Add(evt.CardToken.Value, card);
                }
                w.Tokens.Append(replay.Tokens);
                w.Labels.Append(label ? (byte)1 : (byte)0);
                w.Typology.Append((byte)replay.Typology);
                w.Features.Append(replay.Features);
                w.Day.Append((int)(DatasetTimeline.FloorDay(evt.TimestampUtcMs) / DatasetTimeline.MsPerDay));
                w.Card.Append(card);
            }
            foreach (var w in writers) w?.Complete();
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
        }
        summary.Cards = cardIndex.Count;
        WriteDescription(Path.Combine(outDir, "dataset.json"), summary);
        summary.ElapsedSeconds = clock.Elapsed.TotalSeconds;
        return summary;
    }

    private void WriteDescription(string path, DatasetSummary summary)
    {
        var t = summary.Timeline;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("tokenizer", Tokenizer.Version);
        json.WriteNumber("seq_len", Tokenizer.SequenceLength);
        json.WriteNumber("vocab_size", Tokenizer.VocabularySize);
        json.WriteStartObject("special_tokens");
        json.WriteNumber("pad", Vocabulary.Pad);
        json.WriteNumber("unk", Vocabulary.Unk);
        json.WriteNumber("cls", Vocabulary.Cls);
        json.WriteNumber("mask", Vocabulary.Mask);
        json.WriteEndObject();
        json.WriteNumber("label_delay_days", _options.LabelDelayDays);
        json.WriteStartArray("feature_names");
        foreach (string name in AggregateFeatures.Names) json.WriteStringValue(name);
        json.WriteEndArray();
        json.WriteStartObject("typologies");
        foreach (var typology in FraudTypologies.Fraud)
            json.WriteString(((int)typology).ToString(CultureInfo.InvariantCulture), FraudTypologies.Name(typology));
        json.WriteEndObject();
        json.WriteStartObject("splits");
        WriteSplit(json, "train", summary, DatasetSplit.Train, t.T0, t.T1);
        WriteSplit(json, "val", summary, DatasetSplit.Validation, t.T1, t.T2);
        WriteSplit(json, "test", summary, DatasetSplit.Test, t.T3, t.T4);
        json.WriteEndObject();
        json.WriteString("source_log_sha256", summary.SourceSha256);
        // Beyond the contract's required keys: readers ignore them, people find them useful.
        json.WriteStartObject("gap");
        json.WriteNumber("count", summary.Counts[(int)DatasetSplit.Gap]);
        json.WriteString("from_utc", Utc(t.T2));
        json.WriteString("to_utc", Utc(t.T3));
        json.WriteEndObject();
        json.WriteString("profile", _options.Profile);
        json.WriteEndObject();
    }

    private static void WriteSplit(Utf8JsonWriter json, string name, DatasetSummary summary, DatasetSplit split, long from, long to)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", summary.Counts[(int)split]);
        json.WriteNumber("positives", summary.Positives[(int)split]);
        json.WriteString("from_utc", Utc(from));
        json.WriteString("to_utc", Utc(to));
        json.WriteEndObject();
    }

    internal static string Utc(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The six arrays of one split.</summary>
    private sealed class SplitWriters : IDisposable
    {
        public SplitWriters(string dir, string split, int featureCount)
        {
            Tokens = new NpyWriter<int>(Path.Combine(dir, $"{split}.tokens.npy"), Tokenizer.SequenceLength);
            Labels = new NpyWriter<byte>(Path.Combine(dir, $"{split}.labels.npy"));
            Typology = new NpyWriter<byte>(Path.Combine(dir, $"{split}.typology.npy"));
            Features = new NpyWriter<float>(Path.Combine(dir, $"{split}.features.npy"), featureCount);
            Day = new NpyWriter<int>(Path.Combine(dir, $"{split}.day.npy"));
            Card = new NpyWriter<int>(Path.Combine(dir, $"{split}.card.npy"));
        }

        public NpyWriter<int> Tokens { get; }
        public NpyWriter<byte> Labels { get; }
        public NpyWriter<byte> Typology { get; }
        public NpyWriter<float> Features { get; }
        public NpyWriter<int> Day { get; }
        public NpyWriter<int> Card { get; }

        public void Complete()
        {
            Tokens.Complete();
            Labels.Complete();
            Typology.Complete();
            Features.Complete();
            Day.Complete();
            Card.Complete();
        }

        public void Dispose()
        {
            Tokens.Dispose();
            Labels.Dispose();
            Typology.Dispose();
            Features.Dispose();
            Day.Dispose();
            Card.Dispose();
        }
    }
}
