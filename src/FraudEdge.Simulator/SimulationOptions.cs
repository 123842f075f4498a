namespace FraudEdge.Simulator;

/// <summary>Parameters of one simulation run. The same options always produce the same event log bytes.</summary>
public sealed record SimulationOptions
{
    public long Seed { get; init; } = 1;
    public int Days { get; init; } = 28;
    public int Terminals { get; init; } = 40;
    /// <summary>First simulated local (CET) day. 2026-01-05 is a Monday.</summary>
    public DateOnly Start { get; init; } = new(2026, 1, 5);
    /// <summary>Scales every fraud episode rate (1 = the documented default mix).</summary>
    public double FraudRateMultiplier { get; init; } = 1.0;

    public void Validate()
    {
        if (Days is < 1 or > 3650) throw new ArgumentOutOfRangeException(nameof(Days), Days, "days must be 1..3650");
        if (Terminals is < 1 or > 9_000_000) throw new ArgumentOutOfRangeException(nameof(Terminals), Terminals, "terminals must be 1..9000000");
        if (Start.Year is < 2001 or > 2090) throw new ArgumentOutOfRangeException(nameof(Start), Start, "start must be within 2001..2090");
        if (FraudRateMultiplier is < 0 or > 100 || double.IsNaN(FraudRateMultiplier))
            throw new ArgumentOutOfRangeException(nameof(FraudRateMultiplier), FraudRateMultiplier, "fraud rate multiplier must be 0..100");
    }

    public string Describe() =>
        FormattableString.Invariant($"simulator seed={Seed} days={Days} terminals={Terminals} start={Start:yyyy-MM-dd} fraud-multiplier={FraudRateMultiplier}");
}
