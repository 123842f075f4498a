using FraudEdge.Core.Audit;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>fraudedged keeps an audit trail of everything it decided (docs/audit-log.md), intact across a restart and sealed at each stop.</summary>
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
        // Each graceful stop sealed its segment with a checkpoint: nothing served is left uncovered by one.
        Assert.Equal(2, report.Segments);
        Assert.Equal(2, report.Checkpoints);
        Assert.Equal(0L, report.RecordsAfterLastCheckpoint);
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task Status_reports_the_audit_head_and_verify_uses_it_to_find_records_cut_off_the_end()
    {
        string dir = Directory.CreateTempSubdirectory("fraudedged-head-").FullName;
        string audit = Path.Combine(dir, "audit");
        await using (var service = await ServiceProcess.StartAsync(_ => ["--audit", audit]))
        {
            using var c = new RawConnection(service.SocketPath);
            StatusResponse before = c.Read<StatusResponse>(c.Send(new StatusRequest()));
            Assert.Equal(1ul, before.AuditLastRecord); // the ModelLoaded record written at start-up
            foreach (var r in TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(20))
                c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(r.Event)));
            StatusResponse status = c.Read<StatusResponse>(c.Send(new StatusRequest()));
            Assert.Equal(21ul, status.AuditLastRecord);
            // The head the service reports is the log's record with that number, hash for hash.
            AuditRecord head = AuditReader.ReadAll(audit).Single(r => r.Number == status.AuditLastRecord);
            Assert.Equal(head.Hash.ToString(), status.AuditHeadSha256);
            var anchor = new AuditAnchor(status.AuditLastRecord, AuditHash.ParseHex(status.AuditHeadSha256!));
            Assert.Equal(0, await service.StopAsync());

            // After the stop the anchored record is still there with its hash.
            AuditVerifyReport report = AuditVerifier.Verify(audit);
            Assert.True(report.Intact, report.Problem?.ToString());
            Assert.Null(anchor.Check(audit, report));

            // Cut the log back to record 15 exactly at a record boundary: still a valid chain, but the anchor finds it.
            AuditRecord keep = AuditReader.ReadAll(audit).Single(r => r.Number == 16);
            string segment = Path.Combine(audit, $"audit-{keep.Segment:D8}.log");
            using (var f = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite)) f.SetLength(keep.Offset);
            AuditVerifyReport cut = AuditVerifier.Verify(audit);
            Assert.True(cut.Intact, cut.Problem?.ToString()); // what verify alone cannot see
            Assert.Contains("records 16..21 were cut off", anchor.Check(audit, cut), StringComparison.Ordinal);
        }
        Directory.Delete(dir, true);
    }
}
