using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Tests.Bundles;
using FraudEdge.Core.Tests.Engine;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>FraudEngine with an audit log: what the caller got is what the log holds, in order.</summary>
public sealed class AuditEngineTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private FraudEngine Engine(bool rulesOnly = false, bool sealOnClose = true) => new(new FraudEngineOptions
    {
        Profile = FraudEngineTests.Profile(deadlineUs: 5_000_000), ModelDirectory = rulesOnly ? null : Fixture.BundleDirectory,
        TrustedKeys = rulesOnly ? null : Fixture.TrustedKeys(), RulesOnly = rulesOnly,
        Audit = AuditLogOptions.FromProfile(_temp.Path, FraudEngineTests.Profile().Audit) with { SealOnClose = sealOnClose },
    });

    [Fact]
    public void Every_answer_notice_and_model_change_is_logged_as_returned()
    {
        var answers = new List<(TransactionEvent Event, Decision Decision)>();
        ModelBundle bundle;
        using (var engine = Engine())
        {
            bundle = engine.Model!;
            foreach (TransactionEvent e in FraudEngineTests.Stream(30)) answers.Add((e, engine.Evaluate(e)));
            TransactionEvent bad = Samples.Purchase(id: 999);
            bad.Bin = new Bin(12, 2);
            answers.Add((bad, engine.Evaluate(bad)));
            Assert.True(answers[^1].Decision.IsRejected);
            OutcomeNotice notice = AuditSamples.Notice(3);
            Assert.True(engine.Record(notice).IsValid);
            OutcomeNotice refused = notice with { EventId = 0 };
            Assert.False(engine.Record(refused).IsValid);
            engine.ReloadModel(Fixture.BundleDirectory);
            EngineStatus status = engine.Status();
            Assert.Equal(35, status.AuditRecords);
            Assert.Equal(35ul, status.AuditLastRecord);
        }

        // Disposing the engine sealed the segment: its checkpoint follows the 35 records and covers them all.
        List<AuditRecord> records = AuditSamples.ReadAll(_temp.Path);
        Assert.Equal(36, records.Count);
        Assert.Equal(AuditRecordType.Checkpoint, records[^1].Type);
        Assert.Equal(35ul, records[^1].Checkpoint!.LastRecord);
        Assert.Equal(0L, AuditVerifier.Verify(_temp.Path).RecordsAfterLastCheckpoint);
        AuditModelLoaded start = records[0].ModelLoaded!;
        Assert.Equal(AuditModelChange.EngineStart, start.Change);
        Assert.Equal(bundle.ManifestSha256, start.ManifestSha256.ToString());
        Assert.Equal(bundle.Manifest.Version, start.Version);
        Assert.Equal(bundle.Manifest.SigningKeyId, start.SigningKeyId);
        for (int i = 0; i < answers.Count; i++)
        {
            AuditRecord r = records[1 + i];
            Assert.Equal(AuditRecordType.Decision, r.Type);
            var (evt, decision) = answers[i];
            Assert.Equal(evt, r.Decision.Event);
            Assert.Equal(BitConverter.SingleToUInt32Bits(decision.Logit), r.Decision.LogitBits);
            Assert.Equal(BitConverter.SingleToUInt32Bits(decision.Probability), r.Decision.ProbabilityBits);
            Assert.Equal(decision.Verdict, r.Decision.Verdict);
            Assert.Equal(decision.RiskScore, r.Decision.RiskScore);
            Assert.Equal(decision.Reasons, r.Decision.Reasons);
            Assert.Equal(decision.Source, r.Decision.Source);
            Assert.Equal(decision.ElapsedMicroseconds, r.Decision.ElapsedMicroseconds);
            Assert.Equal(decision.Rejection.Code, r.Decision.Rejection);
            Assert.Equal(bundle.ManifestSha256, r.Decision.ModelSha256.ToString());
            Assert.Equal("fe-tok-1", r.Decision.Tokenizer);
        }
        Assert.Equal(ValidationErrorCode.InvalidBin, records[31].Decision.Rejection);
        Assert.Equal(ValidationErrorCode.None, records[32].Outcome.Rejection);
        Assert.Equal(ValidationErrorCode.MissingEventId, records[33].Outcome.Rejection);
        Assert.Equal(AuditModelChange.Reload, records[34].ModelLoaded!.Change);
        Assert.True(AuditVerifier.Verify(_temp.Path).Intact);
    }

    [Fact]
    public void Rules_only_start_is_logged_as_no_model()
    {
        using (var engine = Engine(rulesOnly: true))
        {
            Decision d = engine.Evaluate(Samples.Purchase());
            Assert.Equal(DecisionSource.RulesModelUnavailable, d.Source);
        }
        List<AuditRecord> records = AuditSamples.ReadAll(_temp.Path);
        Assert.True(records[0].ModelLoaded!.IsRulesOnly);
        Assert.True(records[1].Decision.ModelSha256.IsZero);
        Assert.True(float.IsNaN(records[1].Decision.Logit));
    }

    [Fact]
    public void A_torn_tail_is_reported_by_the_engine_and_a_corrupt_log_refuses_its_start()
    {
        using (var engine = Engine(rulesOnly: true, sealOnClose: false)) // as a process that died leaves it: no checkpoint
        {
            foreach (TransactionEvent e in FraudEngineTests.Stream(5)) engine.Evaluate(e);
        }
        string path = AuditSamples.SegmentPath(_temp.Path, 1);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        using (var engine = Engine(rulesOnly: true))
        {
            Assert.True(engine.AuditRecovery!.TornTail);
            Assert.Equal(6ul, engine.Status().AuditLastRecord); // ModelLoaded + 5 decisions, the torn 6th cut, this start's ModelLoaded
        }
        List<AuditRecord> records = AuditSamples.ReadAll(_temp.Path);
        bytes = File.ReadAllBytes(path);
        bytes[records[2].Offset + 30] ^= 4;
        File.WriteAllBytes(path, bytes);
        var e2 = Assert.Throws<AuditLogException>(() => Engine(rulesOnly: true));
        Assert.Equal(AuditErrorCode.Corrupt, e2.Code);
        Assert.Equal(records[2].Number, e2.Problem!.RecordNumber);
    }
}
