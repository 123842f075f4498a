namespace FraudEdge.Fuzz;

/// <summary>
/// A target's own check failed (a token id out of range, a snapshot that does not round-trip…). Thrown,
/// never caught, so afl-fuzz records the input as a crash exactly like an exception from FraudEdge.Core.
/// </summary>
public sealed class FuzzOracleException(string message) : Exception(message);
