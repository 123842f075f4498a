namespace FraudEdge.Service.Memory;

/// <summary>The hardware profile's memory budget cannot hold the service; the message carries the numbers.</summary>
public sealed class MemoryBudgetException(string message) : Exception(message);
