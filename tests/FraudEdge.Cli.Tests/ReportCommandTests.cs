using FraudEdge.Core;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Tests;

/// <summary>`fraudedge report` on a log an audited in-process engine wrote: one self-contained HTML file with the
/// chain status, the model, a row per day and 100 % replay agreement; exit 1 (file still written) for a broken log.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteLog()
    {
        string felog = Path.Combine(_dir, "town.felog");
        new TransactionSimulator(new SimulationOptions { Seed = 3, Days = 2, Terminals = 1 }).WriteTo(felog);
        string audit = Path.Combine(_dir, "audit");
        var profile = HardwareProfiles.LoadEmbedded("entry-a53");
        profile.Scoring.DeadlineMicroseconds = 0; // no timing fallbacks: replay must agree 100 %
        long decisions = 0;
        using (var engine = new FraudEngine(new FraudEngineOptions
        {
            Profile = profile,
            Audit = new AuditLogOptions { Directory = audit, Durability = AuditDurability.GroupCommit },
        }))
        using (var reader = EventLogReader.Open(felog))
        {
            while (reader.Read(out var record) && decisions < 800)
            {
                if (record.Kind == EventLogRecordKind.Notice) engine.Record(record.Notice);
                else { engine.Evaluate(record.Event); decisions++; }
            }
        }
        return audit;
    }

    [Fact]
    public void The_report_is_one_self_contained_html_file_with_the_chain_models_days_and_replay()
    {
        string audit = WriteLog();
        AuditRecord[] records = [.. AuditReader.ReadAll(audit)];
        AuditModelLoaded model = records.First(r => r.Type == AuditRecordType.ModelLoaded).ModelLoaded!;
        AuditDecision first = records.First(r => r.Type == AuditRecordType.Decision).Decision;
        string day = DateTimeOffset.FromUnixTimeMilliseconds(first.Event.TimestampUtcMs).UtcDateTime.ToString("yyyy-MM-dd");

        string html = Path.Combine(_dir, "report.html");
        var (exit, stdout, stderr) = CliProcessTests.Run("report", audit, "--out", html);
        Assert.True(exit == 0, stdout + stderr);
        Assert.True(File.Exists(html));
        string text = File.ReadAllText(html);
        Assert.Contains("<svg", text, StringComparison.Ordinal);
        Assert.Contains("<span class=\"ok\">intact</span>", text, StringComparison.Ordinal);
        Assert.Contains($"<td>{System.Net.WebUtility.HtmlEncode(model.Version)}</td>", text, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{day}</td>", text, StringComparison.Ordinal);
        Assert.Contains("<tr><th>replay agreement</th><td>100 % (", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);

        // A damaged log is still reported, then exit 1.
        string file = Path.Combine(audit, "audit-00000001.log");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^20] ^= 0x01;
        File.WriteAllBytes(file, bytes);
        string broken = Path.Combine(_dir, "broken.html");
        (exit, stdout, stderr) = CliProcessTests.Run("report", audit, "--out", broken);
        Assert.True(exit == 1, stdout + stderr);
        Assert.Contains("<span class=\"bad\">broken</span>", File.ReadAllText(broken), StringComparison.Ordinal);

        Assert.Equal(2, CliProcessTests.Run("report", audit).Exit);
        Assert.Equal(2, CliProcessTests.Run("report", Path.Combine(_dir, "missing"), "--out", html).Exit);
        Assert.Equal(2, CliProcessTests.Run("report", audit, "--out", html, "--profile", "no-such-profile").Exit);
    }
}
