using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Engine;

[Collection(Scoring.ScoringCollection.Name)]
public sealed class FraudEngineTests
{
    internal static HardwareProfile Profile(int deadlineUs = 20_000)
    {
        var p = HardwareProfiles.LoadEmbedded("entry-a53");
        p.Scoring.DeadlineMicroseconds = deadlineUs;
        return p;
    }

    internal static FraudEngine FixtureEngine(HardwareProfile? profile = null, string? bundle = null) => new(new FraudEngineOptions
    {
        Profile = profile ?? Profile(), ModelDirectory = bundle ?? Fixture.BundleDirectory, TrustedKeys = Fixture.TrustedKeys(),
    });

    /// <summary>A realistic stream: 40 cards, mixed entry modes and amounts, one event every 20 s.</summary>
    internal static TransactionEvent[] Stream(int count, long start = Samples.Noon)
    {
        var events = new TransactionEvent[count];
        for (int i = 0; i < count; i++)
        {
            var e = Samples.Purchase((ulong)(i + 1), card: 1 + (i * 7) % 40, amountMinor: 150 + (i * 7919) % 25_000, at: start + i * 20_000L);
            e.Atc = (ushort)(i / 40 + 1);
            if (i % 13 == 0) { e.EntryMode = EntryMode.Swipe; e.Cryptogram = CryptogramType.None; e.HasAtc = false; e.Atc = 0; }
            if (i % 17 == 0) e.Kind = TransactionKind.Refund;
            events[i] = e;
        }
        return events;
    }

    [Fact]
    public void Model_decision_carries_score_probability_and_reasons()
    {
        using var engine = FixtureEngine();
        var e = Samples.Purchase();
        e.EntryMode = EntryMode.KeyEntered;
        e.Cryptogram = CryptogramType.None;
        e.HasAtc = false;
        e.Atc = 0;
        var d = engine.Evaluate(e);
        Assert.Equal(DecisionSource.Model, d.Source);
        Assert.InRange(d.RiskScore, (byte)1, (byte)99);
        Assert.InRange(d.Probability, 0f, 1f);
        Assert.False(float.IsNaN(d.Logit));
        Assert.True(d.Reasons.HasFlag(ReasonCode.KeyedEntry));
        Assert.NotEqual(Verdict.None, d.Verdict);
    }

    [Fact]
    public void Invalid_event_is_rejected_without_touching_history()
    {
        using var engine = FixtureEngine();
        var bad = Samples.Purchase();
        bad.AmountMinor = -100;
        var d = engine.Evaluate(bad);
        Assert.True(d.IsRejected);
        Assert.Equal(Verdict.None, d.Verdict);
        Assert.Equal(ValidationErrorCode.NegativeAmount, d.Rejection.Code);
        var status = engine.Status();
        Assert.Equal(1, status.Rejected);
        Assert.Equal(0, status.Decisions);
    }

    public static TheoryData<string, BundleErrorCode> Tampering() => new()
    {
        { "flip a model byte", BundleErrorCode.HashMismatch },
        { "edit the manifest", BundleErrorCode.SignatureInvalid },
        { "wrong tokenizer, properly signed", BundleErrorCode.TokenizerMismatch },
        { "signed by an unknown key", BundleErrorCode.UntrustedKey },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void Tampered_bundle_is_refused_and_the_engine_keeps_deciding_by_rules(string tampering, BundleErrorCode expected)
    {
        using var dir = TempDirectory.CopyOf(Fixture.BundleDirectory);
        Tamper(dir.Path, tampering);
        using var engine = FixtureEngine(bundle: dir.Path);
        Assert.Null(engine.Model);
        Assert.Equal(expected, engine.ModelRefusal!.Code);
        var d = engine.Evaluate(Samples.Purchase());
        Assert.Equal(DecisionSource.RulesModelUnavailable, d.Source);
        Assert.True(d.Reasons.HasFlag(ReasonCode.ModelUnavailable));
        Assert.NotEqual(Verdict.None, d.Verdict);
        Assert.Equal(expected, engine.Status().ModelRefusal);
    }

    [Fact]
    public void Reload_with_a_tampered_bundle_keeps_the_current_model()
    {
        using var engine = FixtureEngine();
        string before = engine.Model!.ManifestSha256;
        using var dir = TempDirectory.CopyOf(Fixture.BundleDirectory);
        Tamper(dir.Path, "flip a model byte");
        var e = Assert.Throws<BundleException>(() => engine.ReloadModel(dir.Path));
        Assert.Equal(BundleErrorCode.HashMismatch, e.Code);
        Assert.Equal(before, engine.Model!.ManifestSha256);
        Assert.Equal(DecisionSource.Model, engine.Evaluate(Samples.Purchase()).Source);
    }

    [Fact]
    public void Missed_deadline_falls_back_to_rules_and_says_so()
    {
        using var dir = TempDirectory.CopyOf(Fixture.BundleDirectory);
        File.Copy(Fixture.SlowModelPath, Path.Combine(dir.Path, "model.onnx"), overwrite: true);
        Resign(dir.Path, manifest => { });
        using var engine = FixtureEngine(Profile(deadlineUs: 1_000), dir.Path);
        Assert.NotNull(engine.Model);
        var d = engine.Evaluate(Samples.Purchase());
        Assert.Equal(DecisionSource.RulesDeadlineExceeded, d.Source);
        Assert.True(d.Reasons.HasFlag(ReasonCode.ModelDeadlineExceeded));
        Assert.True(float.IsNaN(d.Probability));
        Assert.Equal(1, engine.Status().DeadlineMisses);
    }

    [Fact]
    public void A_bundle_folder_needs_configured_keys_the_test_key_is_not_trusted_by_default()
    {
        using var engine = new FraudEngine(new FraudEngineOptions { Profile = Profile(), ModelDirectory = Fixture.BundleDirectory });
        Assert.Null(engine.Model);
        Assert.True(engine.ModelRefusal!.Code == BundleErrorCode.NoTrustedKeys, engine.ModelRefusal.Message);
        Assert.Equal(DecisionSource.RulesModelUnavailable, engine.Evaluate(Samples.Purchase()).Source);
    }

    [Fact]
    public void Rules_only_engine_decides_without_a_model()
    {
        using var engine = new FraudEngine(new FraudEngineOptions { Profile = Profile(), RulesOnly = true });
        var d = engine.Evaluate(Samples.Purchase());
        Assert.Equal(DecisionSource.RulesModelUnavailable, d.Source);
        Assert.Equal(Verdict.Allow, d.Verdict);
    }

    [Fact]
    public void Hot_listed_card_is_denied_by_the_rules()
    {
        using var engine = new FraudEngine(new FraudEngineOptions { Profile = Profile(), RulesOnly = true });
        var first = Samples.Purchase(1, card: 5);
        engine.Evaluate(first);
        Assert.True(engine.Record(new OutcomeNotice
        {
            EventId = 1, TerminalId = first.TerminalId, CardToken = first.CardToken, TimestampUtcMs = Samples.Noon + 86_400_000,
            Kind = OutcomeKind.FraudReported,
        }).IsValid);
        var d = engine.Evaluate(Samples.Purchase(2, card: 5, at: Samples.Noon + 2 * 86_400_000L));
        Assert.Equal(Verdict.Deny, d.Verdict);
        Assert.True(d.Reasons.HasFlag(ReasonCode.HotListedCard));
    }

    [Fact]
    public void Snapshot_restores_history_across_a_restart()
    {
        using var dir = new TempDirectory();
        string snapshot = Path.Combine(dir.Path, "history.snap");
        var events = Stream(300);
        Decision expected;
        using (var engine = FixtureEngine())
        {
            foreach (var e in events[..299]) engine.Evaluate(e);
            engine.SaveSnapshot(snapshot);
            expected = engine.Evaluate(events[299]);
        }
        using var restarted = new FraudEngine(new FraudEngineOptions
        {
            Profile = Profile(), ModelDirectory = Fixture.BundleDirectory, TrustedKeys = Fixture.TrustedKeys(), SnapshotPath = snapshot,
        });
        var actual = restarted.Evaluate(events[299]);
        Assert.Equal(expected.Logit, actual.Logit);
        Assert.Equal(expected.Reasons, actual.Reasons);
    }

    [Fact]
    public void Concurrent_callers_are_serialised_and_counted()
    {
        using var engine = FixtureEngine();
        var events = Stream(4_000);
        Parallel.For(0, 4, w =>
        {
            for (int i = w; i < events.Length; i += 4) engine.Evaluate(events[i]);
        });
        var s = engine.Status();
        Assert.Equal(events.Length, s.Decisions + s.Rejected);
    }

    private static void Tamper(string dir, string how)
    {
        switch (how)
        {
            case "flip a model byte":
                byte[] model = File.ReadAllBytes(Path.Combine(dir, "model.onnx"));
                model[model.Length / 2] ^= 0x01;
                File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model);
                break;
            case "edit the manifest":
                string text = File.ReadAllText(Path.Combine(dir, "manifest.json"));
                File.WriteAllText(Path.Combine(dir, "manifest.json"), text.Replace("\"version\"", " \"version\"", StringComparison.Ordinal));
                break;
            case "wrong tokenizer, properly signed":
                Resign(dir, m => m["tokenizer"] = "fe-tok-0");
                break;
            case "signed by an unknown key":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    // A complete, self-consistent bundle made with a key this engine was never told to trust.
                    var m = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!.AsObject();
                    m["signing_key_id"] = Convert.ToHexStringLower(SHA256.HashData(other.ExportSubjectPublicKeyInfo()))[..16];
                    byte[] manifest = System.Text.Encoding.UTF8.GetBytes(m.ToJsonString());
                    File.WriteAllBytes(Path.Combine(dir, "manifest.json"), manifest);
                    byte[] sig = other.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                    File.WriteAllText(Path.Combine(dir, "manifest.sig"), Convert.ToBase64String(sig));
                }
                break;
            default:
                throw new ArgumentException(how);
        }
    }

    /// <summary>Recomputes file hashes, applies an edit and signs with the fixture key, as a real signer would.</summary>
    private static void Resign(string dir, Action<JsonObject> edit)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!.AsObject();
        var files = manifest["files"]!.AsObject();
        foreach (var (name, _) in files.ToList())
            files[name] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, name))));
        edit(manifest);
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        File.WriteAllBytes(Path.Combine(dir, "manifest.json"), bytes);
        using var key = Fixture.SigningKey();
        File.WriteAllText(Path.Combine(dir, "manifest.sig"),
            Convert.ToBase64String(key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)));
    }
}
