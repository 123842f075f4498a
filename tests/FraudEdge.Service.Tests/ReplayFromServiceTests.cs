using FraudEdge.Cli.Audit;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>
/// The acceptance test: a simulated day of one terminal through the real fraudedged with an audit log,
/// replayed with the same bundle and profile, reproduces 100 % of the decisions bit-exactly.
/// </summary>
public sealed class ReplayFromServiceTests
{
    [Fact]
    public async Task Replaying_a_simulated_day_served_by_fraudedged_reproduces_every_decision_bit_exactly()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-replay-").FullName;
        try
        {
            string audit = Path.Combine(dir, "audit");
            // The test profile with a deadline no loaded test machine misses: a deadline fallback is timing, which no
            // replay reproduces (it is counted apart), and this test is about the decisions.
            string profileFile = ServiceProcess.WriteProfile(dir);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(profileFile))!;
            json["scoring"]!["deadline_us"] = 5_000_000;
            File.WriteAllText(profileFile, json.ToJsonString());
            EventLogRecord[] traffic = TestTraffic.OneTerminal;
            long firstDay = traffic[0].Kind == EventLogRecordKind.Event ? traffic[0].Event.TimestampUtcMs : traffic[0].Notice.TimestampUtcMs;
            long decisions = 0, outcomes = 0;
            await using (var service = await ServiceProcess.StartAsync(_ => ["--audit", audit, "--profile", profileFile]))
            {
                using var c = new RawConnection(service.SocketPath);
                foreach (EventLogRecord r in traffic)
                {
                    long at = r.Kind == EventLogRecordKind.Event ? r.Event.TimestampUtcMs : r.Notice.TimestampUtcMs;
                    if (at - firstDay >= TimeSpan.FromDays(1).TotalMilliseconds) break;
                    if (r.Kind == EventLogRecordKind.Notice)
                    {
                        c.Read<Ack>(c.Send(WireMapping.ToWire(r.Notice)));
                        outcomes++;
                        continue;
                    }
                    c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(r.Event)));
                    decisions++;
                }
                Assert.Equal(0, await service.StopAsync());
            }
            Assert.True(decisions > 100, $"only {decisions} decisions in the day");

            ReplayReport report = AuditReplayer.Replay(audit, new AuditReplayOptions { Profile = HardwareProfiles.LoadFile(profileFile) });

            Assert.Null(report.Problem);
            Assert.True(report.Reproduced, string.Join("\n", report.MismatchList));
            Assert.Equal(decisions, report.Decisions);
            Assert.Equal(decisions, report.Identical);
            Assert.Equal(decisions, report.SameModelDecisions);
            Assert.Equal(0, report.Mismatches);
            Assert.Equal(0, report.RecordedDeadlineMisses);
            Assert.Equal(outcomes, report.OutcomesApplied + report.OutcomesRefused);
            Assert.True(report.OutcomesApplied > 0);
            Assert.True(report.Models.Single().IsReplayingBundle);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
