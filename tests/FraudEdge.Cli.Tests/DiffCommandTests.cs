using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Tests;

/// <summary>`fraudedge diff` as a user runs it on a log an audited in-process engine wrote: the same bundle twice
/// agrees everywhere, another bundle shows its changes, fraud labels from the log are counted per bundle.</summary>
public sealed class DiffCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>One terminal's simulated days through an audited engine (entry-a53, the shipped bundle); then
    /// <paramref name="after"/> may send more notices to the same engine (and log).</summary>
    private (string Audit, long Decisions) WriteLog(int maxDecisions, Action<FraudEngine, List<(TransactionEvent Event, Decision Decision)>>? after = null)
    {
        string felog = Path.Combine(_dir, "town.felog");
        new TransactionSimulator(new SimulationOptions { Seed = 3, Days = 2, Terminals = 1 }).WriteTo(felog);
        string audit = Path.Combine(_dir, "audit");
        var profile = HardwareProfiles.LoadEmbedded("entry-a53");
        profile.Scoring.DeadlineMicroseconds = 0;
        var decided = new List<(TransactionEvent, Decision)>();
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile,
            Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        {
            using (var reader = EventLogReader.Open(felog))
            {
                while (reader.Read(out var record) && decided.Count < maxDecisions)
                {
                    if (record.Kind == EventLogRecordKind.Notice) engine.Record(record.Notice);
                    else decided.Add((record.Event, engine.Evaluate(record.Event)));
                }
            }
            after?.Invoke(engine, decided);
        }
        return (audit, decided.Count);
    }

    private static string FixtureBundle => Path.Combine(DocsTests.RepoRoot(), "tests", "FraudEdge.Core.Tests", "Fixtures", "bundle");
    private static string FixtureKey => Path.Combine(DocsTests.RepoRoot(), "tests", "FraudEdge.Core.Tests", "Fixtures", "fixture-signing.TEST.pub.pem");

    private static long[,] Matrix(JsonElement r)
    {
        string[] v = ["allow", "review", "deny"];
        var m = new long[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                m[i, j] = r.GetProperty("matrix").GetProperty(v[i]).GetProperty(v[j]).GetInt64();
        return m;
    }

    [Fact]
    public void The_same_bundle_twice_agrees_everywhere_and_another_bundle_shows_its_changes()
    {
        var (audit, decisions) = WriteLog(500);
        Assert.True(decisions > 200, $"only {decisions} decisions");

        var (exit, stdout, stderr) = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", "embedded", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.Equal(JsonValueKind.Null, r.GetProperty("problem").ValueKind);
            Assert.Equal(decisions, r.GetProperty("decisions").GetInt64());
            long compared = r.GetProperty("compared").GetInt64();
            Assert.Equal(decisions, compared + r.GetProperty("rejected").GetInt64());
            Assert.Equal(100.0, r.GetProperty("agreement_percent").GetDouble());
            Assert.Equal(0, r.GetProperty("changes").GetInt64());
            Assert.Empty(r.GetProperty("top_changes").EnumerateArray());
            long[,] m = Matrix(r);
            Assert.Equal(compared, m[0, 0] + m[1, 1] + m[2, 2]);
            JsonElement shift = r.GetProperty("risk_shift");
            Assert.Equal(0, shift.GetProperty("changed").GetInt64());
            Assert.Equal(0, shift.GetProperty("p5").GetInt32());
            Assert.Equal(0, shift.GetProperty("p95").GetInt32());
            Assert.Equal(r.GetProperty("a").GetProperty("sha256").GetString(), r.GetProperty("b").GetProperty("sha256").GetString());
        }

        // Stricter thresholds turn the shipped bundle's scores into other verdicts; the fixture bundle scores differently.
        (exit, stdout, stderr) = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", FixtureBundle,
            "--trusted-key", FixtureKey, "--json", "--top", "5");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.Equal("fraudedge-fixture 0.0.1-test", r.GetProperty("b").GetProperty("model").GetString());
            long[,] m = Matrix(r);
            long compared = r.GetProperty("compared").GetInt64(), off = 0, sum = 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) { sum += m[i, j]; if (i != j) off += m[i, j]; }
            Assert.Equal(compared, sum);
            Assert.True(off > 0, stdout);
            Assert.Equal(off, r.GetProperty("changes").GetInt64());
            Assert.True(r.GetProperty("agreement_percent").GetDouble() < 100.0);
            JsonElement[] top = [.. r.GetProperty("top_changes").EnumerateArray()];
            Assert.Equal((int)Math.Min(5, off), top.Length);
            var records = AuditReader.ReadAll(audit).ToDictionary(x => x.Number);
            int previous = int.MaxValue;
            foreach (JsonElement c in top)
            {
                AuditRecord record = records[c.GetProperty("record").GetUInt64()];
                Assert.Equal(record.Decision.Event.EventId, c.GetProperty("event_id").GetUInt64());
                Assert.NotEqual(c.GetProperty("a_verdict").GetString(), c.GetProperty("b_verdict").GetString());
                Assert.Equal(record.Decision.RiskScore, c.GetProperty("a_risk").GetInt32()); // A is the recording bundle
                int shift = c.GetProperty("shift").GetInt32();
                Assert.Equal(c.GetProperty("b_risk").GetInt32() - c.GetProperty("a_risk").GetInt32(), shift);
                Assert.True(Math.Abs(shift) <= previous);
                previous = Math.Abs(shift);
            }
            long histogram = r.GetProperty("risk_shift").GetProperty("histogram").EnumerateArray().Sum(h => h.GetProperty("count").GetInt64());
            Assert.Equal(compared, histogram);
        }

        var text = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", FixtureBundle, "--trusted-key", FixtureKey, "--top", "3");
        Assert.True(text.Exit == 0, text.Stdout + text.Stderr);
        Assert.Contains("agreement (rows A, columns B)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("decisions would change", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("risk shift B-A", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Fraud_labels_in_the_log_are_counted_per_bundle_and_errors_exit_1_or_2()
    {
        var (audit, _) = WriteLog(400, (engine, decided) =>
        {
            // Label the 8 riskiest decisions and every 60th one as fraud, after the fact (days later on a device).
            var labelled = decided.Where(d => !d.Decision.IsRejected).OrderByDescending(d => d.Decision.RiskScore).Take(8)
                .Concat(decided.Where((_, i) => i % 60 == 0)).Select(d => d.Event).DistinctBy(e => e.EventId).ToList();
            foreach (TransactionEvent e in labelled)
            {
                var notice = new OutcomeNotice
                {
                    EventId = e.EventId, TerminalId = e.TerminalId, CardToken = e.CardToken, TimestampUtcMs = e.TimestampUtcMs + 86_400_000,
                    Kind = OutcomeKind.FraudReported,
                };
                Assert.True(engine.Record(notice).IsValid);
            }
            TransactionEvent first = decided[1].Event;
            // Not labels: a refused notice, a confirmation, and a report for another terminal's event id.
            Assert.False(engine.Record(new OutcomeNotice
            {
                EventId = first.EventId, TerminalId = first.TerminalId, CardToken = first.CardToken, TimestampUtcMs = first.TimestampUtcMs,
                Kind = OutcomeKind.Chargeback, ResponseCode = 0x3035,
            }).IsValid);
            engine.Record(new OutcomeNotice
            {
                EventId = decided[2].Event.EventId, TerminalId = first.TerminalId, CardToken = first.CardToken, TimestampUtcMs = first.TimestampUtcMs,
                Kind = OutcomeKind.ConfirmedGenuine,
            });
            engine.Record(new OutcomeNotice
            {
                EventId = decided[3].Event.EventId, TerminalId = TerminalId.Parse("OTHER-TERM"), CardToken = first.CardToken,
                TimestampUtcMs = first.TimestampUtcMs, Kind = OutcomeKind.Chargeback,
            });
        });

        // Expected, from the log itself: accepted fraud notices label decisions by (event id, terminal id).
        AuditRecord[] all = [.. AuditReader.ReadAll(audit)];
        var frauds = all.Where(x => x.Type == AuditRecordType.Outcome && !x.Outcome.IsRejected && x.Outcome.Notice.IsFraudLabel)
            .Select(x => (x.Outcome.Notice.EventId, x.Outcome.Notice.TerminalId)).ToHashSet();
        AuditDecision[] made = [.. all.Where(x => x.Type == AuditRecordType.Decision && !x.Decision.IsRejected).Select(x => x.Decision)];
        bool[] labels = [.. made.Select(d => frauds.Contains((d.Event.EventId, d.Event.TerminalId)))];
        long caught = made.Where((d, i) => labels[i] && d.Verdict != Verdict.Allow).LongCount();
        long missed = made.Where((d, i) => labels[i] && d.Verdict == Verdict.Allow).LongCount();
        long declined = made.Where((d, i) => !labels[i] && d.Verdict == Verdict.Deny).LongCount();
        double ap = RankingMetrics.AveragePrecision([.. made.Select(d => (double)d.RiskScore)], labels);
        Assert.True(labels.Count(l => l) >= 10);
        Assert.True(caught > 0);

        var (exit, stdout, stderr) = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", "embedded", "--json");
        Assert.True(exit == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            JsonElement r = doc.RootElement;
            Assert.Equal(labels.Count(l => l), r.GetProperty("labels").GetProperty("labelled_frauds").GetInt64());
            Assert.Equal(frauds.Count, r.GetProperty("labels").GetProperty("fraud_notices").GetInt64());
            Assert.Equal(1, r.GetProperty("labels").GetProperty("unmatched_fraud_notices").GetInt64()); // the other terminal's
            Assert.True(r.GetProperty("outcomes_refused").GetInt64() >= 1);
            foreach (string side in new[] { "a", "b" })
            {
                JsonElement s = r.GetProperty(side);
                Assert.Equal(caught, s.GetProperty("frauds_caught").GetInt64());
                Assert.Equal(missed, s.GetProperty("frauds_missed").GetInt64());
                Assert.Equal(declined, s.GetProperty("legitimate_declined").GetInt64());
                Assert.Equal(made.LongCount(d => d.Verdict == Verdict.Review), s.GetProperty("reviewed").GetInt64());
                Assert.Equal(ap, s.GetProperty("average_precision").GetDouble(), 5);
            }
        }
        var text = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", "embedded");
        Assert.Equal(0, text.Exit);
        Assert.Contains("decisions labelled fraud", text.Stdout, StringComparison.Ordinal);

        // Usage errors exit 2; a damaged log exits 1.
        Assert.Equal(2, CliProcessTests.Run("diff").Exit);
        Assert.Equal(2, CliProcessTests.Run("diff", audit, "--model", "embedded").Exit);
        Assert.Equal(2, CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", Path.Combine(_dir, "missing")).Exit);
        Assert.Equal(2, CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", "embedded", "--top", "x").Exit);
        Assert.Equal(2, CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", _dir).Exit); // not a bundle: refused
        string file = Path.Combine(audit, "audit-00000001.log");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^20] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        var broken = CliProcessTests.Run("diff", audit, "--model", "embedded", "--model", "embedded");
        Assert.Equal(1, broken.Exit);
        Assert.Contains("NOT COMPARED: the log is broken", broken.Stdout, StringComparison.Ordinal);
    }
}
