namespace FraudEdge.Core.Profiles;

/// <summary>A hardware profile that cannot be used; <see cref="Field"/> names the JSON field at fault.</summary>
public sealed class ProfileException(string field, string message) : Exception($"hardware profile field '{field}': {message}")
{
    public string Field { get; } = field;
}
