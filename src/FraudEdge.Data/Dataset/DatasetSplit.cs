namespace FraudEdge.Data.Dataset;

/// <summary>Where an event falls on the dataset timeline.</summary>
public enum DatasetSplit
{
    Train = 0,
    Validation = 1,
    /// <summary>The label-delay gap between validation and test: replayed, not exported.</summary>
    Gap = 2,
    Test = 3,
}
