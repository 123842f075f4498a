namespace FraudEdge.Data.Dataset;

/// <summary>How to cut an event log into the fe-dataset-1 train / validation / test splits.</summary>
public sealed record DatasetOptions
{
    /// <summary>Gap between validation and test, and the age a train/val label must have reached by the test start.</summary>
    public int LabelDelayDays { get; init; } = 7;
    public int ValidationDays { get; init; } = 3;
    public int TestDays { get; init; } = 7;
    /// <summary>Hardware profile (name or file) whose history limits size the replay.</summary>
    public string Profile { get; init; } = Replay.EventLogReplay.DefaultProfile;

    public void Validate()
    {
        if (LabelDelayDays is < 0 or > 365) throw new ArgumentOutOfRangeException(nameof(LabelDelayDays), LabelDelayDays, "label delay must be 0..365 days");
        if (ValidationDays is < 1 or > 3650) throw new ArgumentOutOfRangeException(nameof(ValidationDays), ValidationDays, "validation days must be 1..3650");
        if (TestDays is < 1 or > 3650) throw new ArgumentOutOfRangeException(nameof(TestDays), TestDays, "test days must be 1..3650");
    }
}
