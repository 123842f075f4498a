using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Client;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;
using FraudEdge.Simulator;
using Spectre.Console;
using ValidationResult = FraudEdge.Core.Events.ValidationResult;

namespace FraudEdge.Cli.Commands;

internal sealed record IpcDemoOptions(long Seed, int Terminals, int WarmupDays, string? Profile, string? Model, string[] Keys,
    bool RulesOnly, bool Json, string? Terminal, bool Quiet);

/// <summary>The default demo: one simulated terminal talking to the real fraudedged over its Unix socket.</summary>
internal static partial class DemoCommand
{
    private static int RunOverIpc(IpcDemoOptions o)
    {
        string work = Directory.CreateTempSubdirectory("fraudedge-demo-").FullName;
        try
        {
            string logPath = Path.Combine(work, "town.felog");
            Status(o.Json, $"Simulating {o.Terminals} terminals for {o.WarmupDays + 1} days (seed {o.Seed})...");
            new TransactionSimulator(new SimulationOptions { Seed = o.Seed, Days = o.WarmupDays + 1, Terminals = o.Terminals }).WriteTo(logPath);
            var records = new List<EventLogRecord>();
            using (var reader = EventLogReader.Open(logPath))
            {
                while (reader.Read(out EventLogRecord r)) records.Add(r);
            }
            var firstEvent = records.First(r => r.Kind == EventLogRecordKind.Event).Event;
            long shownFromMs = DayStartAfter(firstEvent.TimestampUtcMs, firstEvent.LocalOffsetMinutes, o.WarmupDays);
            TerminalId played = o.Terminal is { } chosen ? TerminalId.Parse(chosen) : PickTerminal(records, shownFromMs);
            var traffic = records.Where(r => (r.Kind == EventLogRecordKind.Event ? r.Event.TerminalId : r.Notice.TerminalId) == played).ToList();
            if (traffic.Count == 0) throw new ArgumentException($"terminal {played} has no traffic in this simulation");

            using var service = ServiceLauncher.Start(ServiceArguments(o, work));
            Status(o.Json, $"fraudedged (pid {service.Pid}) serves {service.SocketPath}; playing terminal {played}: " +
                $"{traffic.Count(r => r.Kind == EventLogRecordKind.Event && r.Event.TimestampUtcMs < shownFromMs)} warm-up events, then the trading day live");

            var report = new DemoReport { Transport = "ipc", Terminals = 1 };
            using (var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = service.SocketPath, RequestTimeout = TimeSpan.FromSeconds(5) }))
            {
                foreach (EventLogRecord record in traffic)
                {
                    if (record.Kind == EventLogRecordKind.Notice)
                    {
                        client.ReportOutcome(WireMapping.ToWire(record.Notice));
                        continue;
                    }
                    ScoreRequest request = WireMapping.ToWire(record.Event);
                    long t0 = Stopwatch.GetTimestamp();
                    ScoreResult result = client.Score(request);
                    double roundTrip = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                    if (record.Event.TimestampUtcMs < shownFromMs) continue;
                    Decision d = ToDecision(result);
                    report.Add(record.Typology, d, roundTrip);
                    if (result.Success) report.AddCoreTime(result.Response.ElapsedMicroseconds);
                    if (!o.Json && !o.Quiet) Live(record, result, roundTrip);
                }
                StatusResponse status = client.GetStatus();
                report.Model = status.ModelName is { } name ? $"{name} {status.ModelVersion}" : o.RulesOnly ? "rules only" : $"none (bundle error {status.ModelRefusal})";
                report.Profile = status.Profile;
            }
            report.Day = DateTimeOffset.FromUnixTimeMilliseconds(shownFromMs + firstEvent.LocalOffsetMinutes * 60_000L).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            int exit = service.Stop();
            var audit = FraudEdge.Core.Audit.AuditVerifier.Verify(service.AuditDirectory);
            if (o.Json) Console.WriteLine(JsonSerializer.Serialize(report.ToJson(), DemoJsonContext.Default.DemoSummary));
            else
            {
                report.Render();
                AnsiConsole.MarkupLine(audit.Intact
                    ? $"Audit log: {audit.Records} records ({audit.Decisions} decisions, {audit.Outcomes} outcome notices), hash chain intact (fraudedge verify)"
                    : $"[red]Audit log problem: {Markup.Escape(audit.Problem?.ToString() ?? "")}[/]");
                AnsiConsole.MarkupLine($"[grey]fraudedged stopped with SIGTERM, exit code {exit}. Its log:[/]");
                foreach (string line in service.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("FraudEdge", StringComparison.Ordinal)))
                    AnsiConsole.MarkupLine($"[grey]  {Markup.Escape(line)}[/]");
            }
            return exit;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The terminal with the most fraud on the shown day (then the busiest): a demo should have something to show.</summary>
    private static TerminalId PickTerminal(List<EventLogRecord> records, long shownFromMs) =>
        records.Where(r => r.Kind == EventLogRecordKind.Event && r.Event.TimestampUtcMs >= shownFromMs)
            .GroupBy(r => r.Event.TerminalId)
            .OrderByDescending(g => g.Count(r => r.Typology != FraudTypology.Legitimate))
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .First().Key;

    private static List<string> ServiceArguments(IpcDemoOptions o, string work)
    {
        var args = new List<string>();
        if (o.Profile is not null) args.AddRange(["--profile", o.Profile]);
        if (o.RulesOnly) args.Add("--rules-only");
        if (o.Model is not null)
        {
            args.AddRange(["--model", o.Model]);
            string[] keys = o.Keys;
            if (keys.Length == 0)
            {
                // As the other developer commands do: a folder bundle is checked against the TEST key, and we say so.
                Console.Error.WriteLine($"note: verifying {o.Model} against the TEST signing key (pass --trusted-key for a real key)");
                string pem = Path.Combine(work, "test-signing.pub.pem");
                File.WriteAllText(pem, TrustedKeys.EmbeddedTestKeyPem());
                keys = [pem];
            }
            foreach (string k in keys) args.AddRange(["--trusted-key", k]);
        }
        return args;
    }

    private static Decision ToDecision(in ScoreResult result)
    {
        if (!result.Success)
            return new Decision { Rejection = new ValidationResult((ValidationErrorCode)result.Error.Detail, result.Error.Field, result.Error.Message) };
        ScoreResponse r = result.Response;
        return new Decision
        {
            EventId = r.EventId, Verdict = (Verdict)r.Verdict, RiskScore = r.RiskScore, Probability = r.Probability,
            Reasons = (ReasonCode)r.Reasons, Source = (DecisionSource)r.Source, ElapsedMicroseconds = (int)r.ElapsedMicroseconds,
            Rejection = ValidationResult.Ok,
        };
    }

    /// <summary>One line per decision of the shown day, as a terminal operator's console would show it.</summary>
    private static void Live(in EventLogRecord record, in ScoreResult result, double roundTripUs)
    {
        ref readonly TransactionEvent e = ref record.Event;
        string time = DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampUtcMs + e.LocalOffsetMinutes * 60_000L).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        string amount = $"{Currency(e.CurrencyCode)} {e.AmountMinor / 100m,9:N2}";
        string truth = record.Typology == FraudTypology.Legitimate ? "" : $" [magenta](simulated fraud: {FraudTypologies.Name(record.Typology)})[/]";
        if (!result.Success)
        {
            AnsiConsole.MarkupLine($"{time}  {amount}  [red]refused {result.Error.Code} {Markup.Escape(result.Error.Field)}[/]{truth}");
            return;
        }
        ScoreResponse r = result.Response;
        string verdict = (Verdict)r.Verdict switch
        {
            Verdict.Deny => "[bold red]DENY  [/]",
            Verdict.Review => "[bold yellow]REVIEW[/]",
            _ => "[green]allow [/]",
        };
        string reasons = r.Verdict == (byte)Verdict.Allow || r.Reasons == 0 ? "" : " [grey]" + Markup.Escape(ReasonCodes.Format((ReasonCode)r.Reasons)) + "[/]";
        string kind = e.Kind == TransactionKind.Purchase ? "" : e.Kind + " ";
        AnsiConsole.MarkupLine($"{time} {amount} {kind}{e.EntryMode,-20} {verdict} {r.RiskScore,2} [grey]{roundTripUs,5:F0}µs[/]{reasons}{truth}");
    }

    private static string Currency(ushort code) => code switch
    {
        978 => "EUR", 840 => "USD", 826 => "GBP", 756 => "CHF", 208 => "DKK", 752 => "SEK", 985 => "PLN",
        _ => code.ToString(CultureInfo.InvariantCulture),
    };
}
