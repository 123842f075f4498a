namespace FraudEdge.Core.Events;

/// <summary>
/// Outcome of validating an event: a code, the field at fault and a fixed message. The message is a
/// constant and never echoes field values, so it cannot leak card data and costs no allocation.
/// </summary>
public readonly record struct ValidationResult(ValidationErrorCode Code, string Field, string Message)
{
    public static ValidationResult Ok => default;

    public bool IsValid => Code == ValidationErrorCode.None;

    public override string ToString() => IsValid ? "valid" : $"{Code} ({(int)Code}) {Field}: {Message}";
}
