namespace FraudEdge.Core.Tests.Audit;

/// <summary>
/// The crash test runs alone: its child process appends flat out and fsyncs, and the deadline tests of other
/// classes (a watchdog thread that must get the CPU within a millisecond) should not share the machine with it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AuditCrashCollection
{
    public const string Name = "Audit crash (runs alone)";
}
