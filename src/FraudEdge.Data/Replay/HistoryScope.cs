namespace FraudEdge.Data.Replay;

/// <summary>Which events share a history during replay.</summary>
public enum HistoryScope : byte
{
    /// <summary>One history per terminal: what a terminal running FraudEdge on the device can know.</summary>
    Terminal = 0,
    /// <summary>One history for every terminal in the log: a store server serving all its lanes.</summary>
    Shared = 1,
}
