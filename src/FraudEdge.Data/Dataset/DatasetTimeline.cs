namespace FraudEdge.Data.Dataset;

/// <summary>
/// The split boundaries, on UTC day boundaries: train [t0, t1), validation [t1, t2), gap [t2, t3) of the label
/// delay, test [t3, t4). The model is imagined trained at t3.
/// </summary>
public readonly record struct DatasetTimeline(long T0, long T1, long T2, long T3, long T4)
{
    public const long MsPerDay = 86_400_000;

    /// <summary>Lays the splits back from the end of the last event's UTC day.</summary>
    public static DatasetTimeline From(long firstEventMs, long lastEventMs, DatasetOptions options)
    {
        long t0 = FloorDay(firstEventMs);
        long t4 = FloorDay(lastEventMs) + MsPerDay;
        long t3 = t4 - (options.TestDays * MsPerDay);
        long t2 = t3 - (options.LabelDelayDays * MsPerDay);
        long t1 = t2 - (options.ValidationDays * MsPerDay);
        if (t1 <= t0)
            throw new ArgumentException(
                $"the log spans {(t4 - t0) / MsPerDay} UTC days; train needs at least one day beyond validation ({options.ValidationDays}) + gap ({options.LabelDelayDays}) + test ({options.TestDays})");
        return new DatasetTimeline(t0, t1, t2, t3, t4);
    }

    public DatasetSplit SplitOf(long timestampMs) =>
        timestampMs < T1 ? DatasetSplit.Train : timestampMs < T2 ? DatasetSplit.Validation : timestampMs < T3 ? DatasetSplit.Gap : DatasetSplit.Test;

    /// <summary>
    /// The label the split may use: train/val only know fraud reported before t3 (the imagined training time);
    /// test knows every fraud label that ever arrives.
    /// </summary>
    public bool Label(DatasetSplit split, long firstFraudNoticeMs) =>
        firstFraudNoticeMs != long.MaxValue && (split == DatasetSplit.Test || firstFraudNoticeMs < T3);

    public static long FloorDay(long ms) => Math.DivRem(ms, MsPerDay, out long rem) * MsPerDay - (rem < 0 ? MsPerDay : 0);
}
