using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FraudEdge.Cli.Audit;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Tests;

/// <summary>
/// `replay --tolerance` and `compare --tolerance`: a probability that moved in its last bits (as it does across
/// architectures) is accepted within the tolerance; a changed verdict or risk score never is.
/// </summary>
public sealed class ToleranceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-tolerance-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// The shipped bundle with its Platt intercept moved by <paramref name="shift"/> and re-signed with the TEST key:
    /// the same graph and the same logits, probabilities that differ by ≤ shift/4 — a stand-in for another CPU's rounding.
    /// </summary>
    private string ShiftedBundle(double shift)
    {
        string source = Path.Combine(DocsTests.RepoRoot(), "models", "fraudedge-slm");
        string bundle = Path.Combine(_dir, "shifted-bundle");
        Directory.CreateDirectory(bundle);
        foreach (string f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(bundle, Path.GetFileName(f)));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "manifest.json")))!.AsObject();
        manifest["calibration"]!["b"] = manifest["calibration"]!["b"]!.GetValue<double>() + shift;
        byte[] bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllBytes(Path.Combine(bundle, "manifest.json"), bytes);
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(DocsTests.RepoRoot(), "keys", "test", "fraudedge-test-signing.key.pem")));
        byte[] signature = key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        File.WriteAllText(Path.Combine(bundle, "manifest.sig"), Convert.ToBase64String(signature) + "\n");
        return bundle;
    }

    /// <summary>One simulated terminal through an audited in-process engine (entry-a53, no deadline).</summary>
    private string Record(string name, string? modelDirectory, int maxDecisions = 300)
    {
        string felog = Path.Combine(_dir, "town.felog");
        if (!File.Exists(felog)) new TransactionSimulator(new SimulationOptions { Seed = 11, Days = 2, Terminals = 1 }).WriteTo(felog);
        string audit = Path.Combine(_dir, name);
        var profile = HardwareProfiles.LoadEmbedded("entry-a53");
        profile.Scoring.DeadlineMicroseconds = 0;
        int decisions = 0;
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile, ModelDirectory = modelDirectory, TrustedKeys = modelDirectory is null ? null : TrustedKeys.EmbeddedTestKey(),
            Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        using (var reader = EventLogReader.Open(felog))
        {
            Assert.NotNull(engine.Model);
            while (reader.Read(out var record) && decisions < maxDecisions)
            {
                if (record.Kind == EventLogRecordKind.Notice) engine.Record(record.Notice);
                else { engine.Evaluate(record.Event); decisions++; }
            }
        }
        return audit;
    }

    [Fact]
    public void Within_tolerance_needs_every_field_a_terminal_acts_on_identical()
    {
        var a = new ReplayAnswer(ValidationErrorCode.None, Verdict.Review, 40, DecisionSource.Model, ReasonCode.None,
            BitConverter.SingleToUInt32Bits(1.5f), BitConverter.SingleToUInt32Bits(0.25f));
        var nudged = a with { ProbabilityBits = BitConverter.SingleToUInt32Bits(0.25f + 1e-7f), LogitBits = BitConverter.SingleToUInt32Bits(1.5000001f) };
        Assert.True(AuditReplayer.WithinTolerance(a, nudged, 1e-6));
        Assert.False(AuditReplayer.WithinTolerance(a, nudged, 1e-8));
        Assert.False(AuditReplayer.WithinTolerance(a, nudged with { Verdict = Verdict.Deny }, 1));
        Assert.False(AuditReplayer.WithinTolerance(a, nudged with { RiskScore = 41 }, 1));
        Assert.False(AuditReplayer.WithinTolerance(a, nudged with { Source = DecisionSource.RulesDeadlineExceeded }, 1));
        Assert.False(AuditReplayer.WithinTolerance(a, nudged with { Reasons = (ReasonCode)1 }, 1));
        // A rules decision has no probability (NaN): only bit-identical answers match it.
        var nan = a with { ProbabilityBits = BitConverter.SingleToUInt32Bits(float.NaN) };
        Assert.False(AuditReplayer.WithinTolerance(nan, nan, 1));
    }

    [Fact]
    public void Compare_accepts_probabilities_within_the_tolerance_and_reports_the_largest_difference()
    {
        const double shift = 1e-6;
        string original = Record("audit-original", modelDirectory: null);
        string shifted = Record("audit-shifted", ShiftedBundle(shift));

        // Bit-exact by default: the probabilities moved, so the logs differ.
        var (exit, stdout, stderr) = CliProcessTests.Run("compare", original, shifted, "--json", "--max-differences", "3");
        Assert.True(exit == 1, stdout + stderr);
        long compared;
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.False(r.GetProperty("equivalent").GetBoolean());
            compared = r.GetProperty("compared").GetInt64();
            Assert.Equal(300, compared);
            Assert.Equal(0, r.GetProperty("event_order_differences").GetInt64());
            Assert.True(r.GetProperty("different").GetInt64() > 0);
            JsonElement first = r.GetProperty("difference_list").EnumerateArray().First();
            Assert.Contains("probability_bits", first.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        }

        (exit, stdout, stderr) = CliProcessTests.Run("compare", original, shifted, "--json", "--tolerance", "1e-6");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("equivalent").GetBoolean());
            Assert.Equal(compared, r.GetProperty("same_verdict").GetInt64());
            Assert.Equal(compared, r.GetProperty("bit_identical").GetInt64() + r.GetProperty("within_tolerance").GetInt64());
            Assert.True(r.GetProperty("within_tolerance").GetInt64() > compared / 2);
            double max = r.GetProperty("max_abs_probability_delta").GetDouble();
            Assert.InRange(max, 1e-12, shift / 4 + 1e-9);
            Assert.Equal(0, r.GetProperty("max_abs_logit_delta").GetDouble()); // same graph, same logits
            Assert.NotEqual(r.GetProperty("models_a")[0].GetString(), r.GetProperty("models_b")[0].GetString());
        }

        Assert.Equal(2, CliProcessTests.Run("compare", original).Exit);
        Assert.Equal(2, CliProcessTests.Run("compare", original, shifted, "--tolerance", "-1").Exit);
        Assert.Equal(2, CliProcessTests.Run("compare", original, Path.Combine(_dir, "missing")).Exit);
    }

    [Fact]
    public void Replay_tolerance_reports_bit_exactness_and_never_forgives_a_changed_verdict()
    {
        string audit = Record("audit", modelDirectory: null, maxDecisions: 200);

        var (exit, stdout, stderr) = CliProcessTests.Run("replay", audit, "--tolerance", "1e-5", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.Equal(1e-5, r.GetProperty("tolerance").GetDouble());
            Assert.Equal(200, r.GetProperty("identical").GetInt64());
            Assert.Equal(0, r.GetProperty("not_bit_exact").GetInt64());
            Assert.Equal(0, r.GetProperty("within_tolerance").GetInt64());
            Assert.Equal(0, r.GetProperty("max_abs_probability_delta").GetDouble());
        }
        var text = CliProcessTests.Run("replay", audit, "--tolerance", "1e-5");
        Assert.Contains("not bit-exact: 0 (0 within --tolerance 1E-05)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("REPRODUCED: every decision recorded with this bundle is bit-identical", text.Stdout, StringComparison.Ordinal);

        // Stricter thresholds: same probabilities, other verdicts. No tolerance, however large, hides that.
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(DocsTests.RepoRoot(), "hardware-profiles", "entry-a53.json")))!.AsObject();
        profile["scoring"]!["review_threshold"] = 0.000001;
        profile["scoring"]!["deny_threshold"] = 0.000002;
        string strict = Path.Combine(_dir, "strict.json");
        File.WriteAllText(strict, profile.ToJsonString());
        (exit, stdout, stderr) = CliProcessTests.Run("replay", audit, "--profile", strict, "--tolerance", "1", "--json", "--max-mismatches", "0");
        Assert.True(exit == 1, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.False(r.GetProperty("reproduced").GetBoolean());
            Assert.True(r.GetProperty("mismatches").GetInt64() > 0);
            Assert.Equal(0, r.GetProperty("within_tolerance").GetInt64());
            Assert.Equal(r.GetProperty("mismatches").GetInt64(), r.GetProperty("not_bit_exact").GetInt64());
        }

        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--tolerance", "abc").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--tolerance", "-1e-6").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--tolerance", "NaN").Exit);
    }
}
