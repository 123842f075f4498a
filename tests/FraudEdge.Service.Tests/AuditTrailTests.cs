using FraudEdge.Core.Audit;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>fraudedged keeps an audit trail of everything it decided (docs/audit-log.md), intact across a restart.</summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task Every_decision_and_outcome_served_is_in_a_verifiable_audit_log_across_restarts()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-audit-").FullName;
        string audit = Path.Combine(dir, "audit");
        var records = TestTraffic.OneTerminal.Take(300).ToArray();
        long decisions = 0, outcomes = 0, rejected = 0;

        for (int run = 0; run < 2; run++)
        {
            await using var service = await ServiceProcess.StartAsync(_ => ["--audit", audit]);
            using var c = new RawConnection(service.SocketPath);
            foreach (var r in records.Skip(run * 150).Take(150))
            {
                if (r.Kind == EventLogRecordKind.Notice) { c.Read<Ack>(c.Send(WireMapping.ToWire(r.Notice))); outcomes++; continue; }
                c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(r.Event)));
                decisions++;
            }
            var bad = WireMapping.ToWire(records.First(r => r.Kind == EventLogRecordKind.Event).Event);
            bad.Bin = 41111;
            c.ReadError(c.Send(bad));
            rejected++;
            Assert.Equal(0, await service.StopAsync());
        }

        AuditVerifyReport report = AuditVerifier.Verify(audit);
        Assert.True(report.Intact, report.Problem?.ToString());
        Assert.Equal(decisions + rejected, report.Decisions); // refusals are audited too
        Assert.Equal(outcomes, report.Outcomes);
        Assert.Equal(2, report.ModelLoads); // one per start: which model was in force
        Directory.Delete(dir, true);
    }
}
