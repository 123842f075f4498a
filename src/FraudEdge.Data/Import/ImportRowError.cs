namespace FraudEdge.Data.Import;

/// <summary>
/// A CSV row that was not imported. The message names the field and the reason but never echoes the value:
/// a card id column may hold a PAN.
/// </summary>
public readonly record struct ImportRowError(long Line, string Field, string Message)
{
    public override string ToString() => $"line {Line}: {Field}: {Message}";
}
