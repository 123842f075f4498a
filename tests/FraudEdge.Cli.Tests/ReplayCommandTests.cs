using System.Text.Json;
using System.Text.Json.Nodes;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Tests;

/// <summary>`fraudedge replay` as a user runs it on a log an audited in-process engine wrote: exit 0 reproduced,
/// 1 mismatches (with their record numbers), 2 usage.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One terminal's simulated days through an audited engine (entry-a53, the shipped bundle).</summary>
    private (string Audit, long Decisions, long Outcomes) WriteLog()
    {
        string felog = Path.Combine(_dir, "town.felog");
        new TransactionSimulator(new SimulationOptions { Seed = 3, Days = 2, Terminals = 1 }).WriteTo(felog);
        string audit = Path.Combine(_dir, "audit");
        long decisions = 0, outcomes = 0;
        var profile = HardwareProfiles.LoadEmbedded("entry-a53");
        // No deadline while recording: a cold or loaded test machine would otherwise record an occasional rules
        // fallback, which replay (rightly) counts apart as timing rather than as a reproduced decision.
        profile.Scoring.DeadlineMicroseconds = 0;
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile,
            Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        using (var reader = EventLogReader.Open(felog))
        {
            while (reader.Read(out var record) && decisions < 1500)
            {
                if (record.Kind == EventLogRecordKind.Notice) { engine.Record(record.Notice); outcomes++; }
                else { engine.Evaluate(record.Event); decisions++; }
            }
        }
        return (audit, decisions, outcomes);
    }

    [Fact]
    public void The_same_bundle_reproduces_every_decision_and_a_changed_threshold_is_reported_record_by_record()
    {
        var (audit, decisions, outcomes) = WriteLog();
        Assert.True(decisions > 200, $"only {decisions} decisions");

        var (exit, stdout, stderr) = CliProcessTests.Run("replay", audit, "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.True(r.GetProperty("reproduced").GetBoolean());
            Assert.Equal(decisions, r.GetProperty("decisions").GetInt64());
            Assert.Equal(decisions, r.GetProperty("identical").GetInt64());
            Assert.Equal(decisions, r.GetProperty("same_model_decisions").GetInt64());
            Assert.Equal(0, r.GetProperty("mismatches").GetInt64());
            Assert.Equal(0, r.GetProperty("recorded_deadline_misses").GetInt64());
            Assert.Equal(outcomes, r.GetProperty("outcomes_applied").GetInt64() + r.GetProperty("outcomes_refused").GetInt64());
            Assert.Equal(1 + decisions + outcomes + 1, r.GetProperty("records").GetInt64()); // ModelLoaded first, the checkpoint that sealed the log last
            Assert.True(r.GetProperty("models").EnumerateArray().Single().GetProperty("is_replaying_bundle").GetBoolean());
            Assert.True(r.GetProperty("decisions_per_s").GetDouble() > 0);
        }

        // Same bundle, stricter thresholds: the scores are bit-identical, the verdicts are not.
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(DocsTests.RepoRoot(), "hardware-profiles", "entry-a53.json")))!.AsObject();
        profile["scoring"]!["review_threshold"] = 0.000001;
        profile["scoring"]!["deny_threshold"] = 0.000002;
        string strict = Path.Combine(_dir, "strict.json");
        File.WriteAllText(strict, profile.ToJsonString());
        (exit, stdout, stderr) = CliProcessTests.Run("replay", audit, "--profile", strict, "--json", "--max-mismatches", "5");
        Assert.True(exit == 1, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.False(r.GetProperty("reproduced").GetBoolean());
            long mismatches = r.GetProperty("same_model_mismatches").GetInt64();
            Assert.True(mismatches > 0);
            Assert.Equal(decisions, r.GetProperty("identical").GetInt64() + mismatches);
            JsonElement[] listed = [.. r.GetProperty("mismatch_list").EnumerateArray()];
            Assert.Equal((int)Math.Min(5, mismatches), listed.Length);
            var records = AuditReader.ReadAll(audit).ToDictionary(x => x.Number);
            foreach (JsonElement m in listed)
            {
                AuditRecord record = records[m.GetProperty("record").GetUInt64()];
                Assert.Equal(AuditRecordType.Decision, record.Type);
                Assert.Equal(record.Decision.Event.EventId, m.GetProperty("event_id").GetUInt64());
                Assert.Contains("verdict", m.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
                Assert.Equal(m.GetProperty("recorded").GetProperty("probability_bits").GetString(), m.GetProperty("replayed").GetProperty("probability_bits").GetString());
                Assert.Equal($"0x{record.Decision.ProbabilityBits:x8}", m.GetProperty("recorded").GetProperty("probability_bits").GetString());
            }
        }

        // The text report names each mismatch's record.
        var text = CliProcessTests.Run("replay", audit, "--profile", strict, "--max-mismatches", "2");
        Assert.Equal(1, text.Exit);
        Assert.Contains("MISMATCH record ", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("NOT REPRODUCED", text.Stdout, StringComparison.Ordinal);

        // Rules only: every decision was recorded under another model; nothing proves the bundle, so exit 1.
        (exit, stdout, _) = CliProcessTests.Run("replay", audit, "--rules-only", "--json", "--max-mismatches", "0");
        Assert.Equal(1, exit);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal(decisions, doc.RootElement.GetProperty("different_model_decisions").GetInt64());
            Assert.True(doc.RootElement.GetProperty("different_model_mismatches").GetInt64() > 0);
        }
    }

    /// <summary>The report without its timing (elapsed, decisions/s), which is all a thread count may change.</summary>
    private static string WithoutTiming(string output, bool json)
    {
        if (json)
        {
            var node = JsonNode.Parse(output)!.AsObject();
            node.Remove("elapsed_ms");
            node.Remove("decisions_per_s");
            return node.ToJsonString();
        }
        return string.Join('\n', output.Split('\n').Where(line => !line.Contains(" decisions/s", StringComparison.Ordinal)));
    }

    [Fact]
    public void Scoring_on_several_threads_gives_the_same_report_as_one_decision_at_a_time()
    {
        var (audit, decisions, _) = WriteLog();
        Assert.True(decisions > 2 * 256, $"only {decisions} decisions: too few to cross the pipeline's chunks");

        // The profile's thresholds made stricter: same-model mismatches (verdicts) at the same records.
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(DocsTests.RepoRoot(), "hardware-profiles", "entry-a53.json")))!.AsObject();
        profile["scoring"]!["review_threshold"] = 0.000001;
        profile["scoring"]!["deny_threshold"] = 0.000002;
        string strict = Path.Combine(_dir, "strict.json");
        File.WriteAllText(strict, profile.ToJsonString());
        string fixtureBundle = Path.Combine(DocsTests.RepoRoot(), "tests", "FraudEdge.Core.Tests", "Fixtures", "bundle");
        string fixtureKey = Path.Combine(DocsTests.RepoRoot(), "tests", "FraudEdge.Core.Tests", "Fixtures", "fixture-signing.TEST.pub.pem");

        string[][] cases =
        [
            ["--json"],
            ["--json", "--profile", strict, "--max-mismatches", "1000"],
            ["--profile", strict, "--max-mismatches", "7"],
            // Another bundle: every decision recorded under a different model, the mismatches listed by record.
            ["--json", "--model", fixtureBundle, "--trusted-key", fixtureKey, "--max-mismatches", "1000"],
            ["--json", "--tolerance", "1e-3", "--profile", strict],
        ];
        foreach (string[] args in cases)
        {
            bool json = args.Contains("--json");
            var one = CliProcessTests.Run(["replay", audit, .. args, "--threads", "1"]);
            Assert.True(one.Exit is 0 or 1, one.Stdout + one.Stderr);
            foreach (string threads in (string[])["2", "3"])
            {
                var many = CliProcessTests.Run(["replay", audit, .. args, "--threads", threads]);
                Assert.Equal(one.Exit, many.Exit);
                Assert.Equal(WithoutTiming(one.Stdout, json), WithoutTiming(many.Stdout, json));
            }
            if (json)
            {
                using var doc = JsonDocument.Parse(one.Stdout);
                Assert.Equal(decisions, doc.RootElement.GetProperty("decisions").GetInt64());
            }
        }

        // The mismatching cases really mismatch (so the comparison above compared mismatch lists).
        var other = CliProcessTests.Run("replay", audit, "--json", "--model", fixtureBundle, "--trusted-key", fixtureKey, "--threads", "2");
        Assert.Equal(1, other.Exit);
        using (var doc = JsonDocument.Parse(other.Stdout))
        {
            Assert.Equal(decisions, doc.RootElement.GetProperty("different_model_decisions").GetInt64());
            Assert.True(doc.RootElement.GetProperty("different_model_mismatches").GetInt64() > 0);
            Assert.NotEmpty(doc.RootElement.GetProperty("mismatch_list").EnumerateArray());
        }
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--threads", "0").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--threads", "many").Exit);
    }

    [Fact]
    public void A_broken_log_is_not_replayed_and_usage_errors_exit_2()
    {
        string audit = Path.Combine(_dir, "audit");
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            RulesOnly = true, Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        {
            engine.Evaluate(new FraudEdge.Core.Events.TransactionEvent { EventId = 1 }); // rejected, still logged
        }
        var ok = CliProcessTests.Run("replay", audit, "--rules-only", "--json");
        Assert.True(ok.Exit == 0, ok.Stdout + ok.Stderr);

        string file = Path.Combine(audit, "audit-00000001.log");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^20] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        var (exit, stdout, _) = CliProcessTests.Run("replay", audit, "--rules-only");
        Assert.Equal(1, exit);
        Assert.Contains("NOT REPLAYED: the log is broken", stdout, StringComparison.Ordinal);

        Assert.Equal(2, CliProcessTests.Run("replay").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", Path.Combine(_dir, "missing")).Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--rules-only", "--model", _dir).Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--restarts", "sometimes").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--max-mismatches", "abc").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "extra-argument").Exit);
        Assert.Equal(2, CliProcessTests.Run("replay", audit, "--profile", "no-such-profile").Exit);
    }
}
