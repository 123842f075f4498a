using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Tests.Bundles;
using FraudEdge.Core.Tests.Engine;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>Appends allocate nothing in steady state, alone and inside FraudEngine.Evaluate (runs alone, like the engine's).</summary>
[Collection(AllocationCollection.Name)]
public sealed class AuditAllocationTests
{
    [Fact]
    public void Ten_thousand_group_commit_appends_allocate_zero_bytes()
    {
        using var temp = new TempDirectory();
        using var log = AuditLog.Open(AuditSamples.Options(temp.Path, segmentBytes: 16L << 20, maxTotalBytes: 64L << 20));
        var events = new TransactionEvent[64];
        var decisions = new Decision[64];
        for (int i = 0; i < events.Length; i++)
        {
            events[i] = AuditSamples.Event(i);
            decisions[i] = AuditSamples.DecisionFor(i);
        }
        OutcomeNotice notice = AuditSamples.Notice(3);
        for (int i = 0; i < 1_000; i++) log.AppendDecision(events[i % 64], decisions[i % 64], AuditSamples.Model);
        log.AppendOutcome(notice, ValidationErrorCode.None);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            if (i % 10 == 9) log.AppendOutcome(notice, ValidationErrorCode.None);
            else log.AppendDecision(events[i % 64], decisions[i % 64], AuditSamples.Model);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(11_001ul, log.LastRecordNumber);
        Assert.Equal(1u, log.CurrentSegment); // no rotation inside the measurement: rotation may allocate (rare)
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Fsync_each_record_appends_allocate_zero_bytes()
    {
        using var temp = new TempDirectory();
        using var log = AuditLog.Open(AuditSamples.Options(temp.Path, durability: AuditDurability.FsyncEachRecord));
        TransactionEvent evt = AuditSamples.Event(1);
        Decision decision = AuditSamples.DecisionFor(1);
        for (int i = 0; i < 50; i++) log.AppendDecision(evt, decision, AuditSamples.Model);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 300; i++) log.AppendDecision(evt, decision, AuditSamples.Model);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(log.LastRecordNumber, log.DurableRecordNumber);
    }

    [Fact]
    public void Ten_thousand_audited_decisions_allocate_zero_bytes_after_warm_up()
    {
        using var temp = new TempDirectory();
        using var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = FraudEngineTests.Profile(deadlineUs: 5_000_000), ModelDirectory = Fixture.BundleDirectory, TrustedKeys = Fixture.TrustedKeys(),
            Audit = new AuditLogOptions
            {
                Directory = temp.Path, SegmentBytes = 16L << 20, MaxTotalBytes = 64L << 20, Durability = AuditDurability.GroupCommit, GroupCommitMs = 5,
            },
        });
        var events = FraudEngineTests.Stream(12_000);
        for (int i = 0; i < 2_000; i++) engine.Evaluate(events[i]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int modelDecisions = 0;
        for (int i = 2_000; i < 12_000; i++)
        {
            if (engine.Evaluate(events[i]).Source == DecisionSource.Model) modelDecisions++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, modelDecisions);
        Assert.Equal(12_001ul, engine.Status().AuditLastRecord); // one ModelLoaded + 12,000 decisions
        Assert.Equal(0, allocated);
    }
}
