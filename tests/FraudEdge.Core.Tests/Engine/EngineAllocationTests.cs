using FraudEdge.Core.Policy;

namespace FraudEdge.Core.Tests.Engine;

/// <summary>
/// Runs alone (no other test collection in parallel): GC.GetAllocatedBytesForCurrentThread was seen to report
/// a few hundred bytes, rarely, while other test classes in the same process churned the GC; in isolation and
/// in the benchmark (MemoryDiagnoser) the decision path allocates nothing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation (runs alone)";
}

[Collection(AllocationCollection.Name)]
public sealed class EngineAllocationTests
{
    [Fact]
    public void Ten_thousand_decisions_allocate_zero_bytes_after_warm_up()
    {
        // A generous deadline: on a loaded CI machine a run can be descheduled, and this test is about bytes.
        using var engine = FraudEngineTests.FixtureEngine(FraudEngineTests.Profile(deadlineUs: 5_000_000));
        var events = FraudEngineTests.Stream(12_000);
        for (int i = 0; i < 2_000; i++) engine.Evaluate(events[i]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int modelDecisions = 0;
        Decision lastOther = default;
        for (int i = 2_000; i < 12_000; i++)
        {
            var d = engine.Evaluate(events[i]);
            if (d.Source == DecisionSource.Model) modelDecisions++;
            else lastOther = d;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(modelDecisions == 10_000, $"{10_000 - modelDecisions} decisions did not use the model; last: {lastOther}"); // the model path really ran
        Assert.Equal(0, allocated);
    }

}
