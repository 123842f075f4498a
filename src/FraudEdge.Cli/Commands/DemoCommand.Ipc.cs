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
            Status(o.Json, $"Simulating {o.Terminals} terminals for {o.WarmupDays + 1} days (seed {o.Seed})...");
            List<EventLogRecord> records = TerminalTraffic.SimulateTown(o.Seed, o.Terminals, o.WarmupDays + 1, work);
            var firstEvent = records.First(r => r.Kind == EventLogRecordKind.Event).Event;
            long shownFromMs = DayStartAfter(firstEvent.TimestampUtcMs, firstEvent.LocalOffsetMinutes, o.WarmupDays);
            TerminalId played = o.Terminal is { } chosen ? TerminalId.Parse(chosen) : TerminalTraffic.PickTerminal(records, shownFromMs);
            List<EventLogRecord> traffic = TerminalTraffic.OfTerminal(records, played);

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
                    Decision d = TerminalTraffic.ToDecision(result);
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
