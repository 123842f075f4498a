using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Client;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge play --socket PATH [--events N] [--seed S] [--terminals T] [--days D] [--fraud-multiplier X] [--terminal ID] [--timeout-ms MS] [--json]`:
/// plays one simulated terminal's traffic — its events as Score requests and its outcome notices, in log order —
/// to an already-running fraudedged, the way `demo` plays it to the service it starts. The same options send the
/// same requests in the same order, so two services (e.g. an x64 and an emulated arm64 build, scripts/arm64-parity.sh)
/// see identical traffic and their audit logs can be compared decision by decision. No latency is reported: the
/// service may be running under an emulator. Exit 0 every request answered, 1 a transport failure, 2 usage.
/// </summary>
internal static class PlayCommand
{
    public const int Played = 0;
    public const int TransportFailed = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var socket = new Option<string?>("--socket") { Description = "fraudedged's Unix socket (the service must already be running)" };
        var events = new Option<string?>("--events") { Description = "Score requests to send (the outcome notices between them are sent too; default 300)" };
        var seed = new Option<long>("--seed") { Description = "simulation seed", DefaultValueFactory = _ => 7 };
        var terminals = new Option<int>("--terminals") { Description = "terminals in the simulated town (one of them is played)", DefaultValueFactory = _ => 8 };
        var days = new Option<int>("--days") { Description = "simulated days", DefaultValueFactory = _ => 7 };
        var fraud = new Option<string?>("--fraud-multiplier") { Description = "scale every fraud episode rate (default 1 = the documented mix); more fraud = more review/deny decisions to compare" };
        var terminal = new Option<string?>("--terminal") { Description = "the terminal to play (default: the one with the most fraud, then the busiest)" };
        var timeout = new Option<string?>("--timeout-ms") { Description = "per-request timeout; generous by default (60000) because the service may be emulated" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var command = new Command("play", "play one simulated terminal's traffic to an already-running fraudedged; exit 0 played, 1 transport failure, 2 usage")
        {
            socket, events, seed, terminals, days, fraud, terminal, timeout, json,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? path = parse.GetValue(socket);
            if (string.IsNullOrEmpty(path)) return Usage("--socket is required");
            int maxEvents = 300, timeoutMs = 60_000;
            if (!CliNumbers.TryInt(parse.GetValue(events), "--events", 1, int.MaxValue, ref maxEvents, out string error)) return Usage(error);
            if (!CliNumbers.TryInt(parse.GetValue(timeout), "--timeout-ms", 1, int.MaxValue, ref timeoutMs, out error, "a number of milliseconds")) return Usage(error);
            if (parse.GetValue(terminals) < 1 || parse.GetValue(days) < 1) return Usage("--terminals and --days are 1 or more");
            double fraudMultiplier = 1.0;
            if (!CliNumbers.TryNonNegative(parse.GetValue(fraud), "--fraud-multiplier", ref fraudMultiplier, out error)) return Usage(error);
            TerminalId? chosen = null;
            if (parse.GetValue(terminal) is string id)
            {
                try
                {
                    chosen = TerminalId.Parse(id);
                }
                catch (FormatException e)
                {
                    return Usage($"--terminal '{id}': {e.Message}");
                }
            }
            return Run(path, maxEvents, parse.GetValue(seed), parse.GetValue(terminals), parse.GetValue(days), fraudMultiplier, chosen, timeoutMs, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(string socketPath, int maxEvents, long seed, int terminals, int days, double fraudMultiplier, TerminalId? chosen, int timeoutMs, bool json)
    {
        string work = Directory.CreateTempSubdirectory("fraudedge-play-").FullName;
        try
        {
            List<EventLogRecord> town;
            try
            {
                town = TerminalTraffic.SimulateTown(seed, terminals, days, work, fraudMultiplier);
            }
            catch (ArgumentOutOfRangeException e)
            {
                return Usage(e.Message);
            }
            TerminalId played = chosen ?? TerminalTraffic.PickTerminal(town, 0);
            List<EventLogRecord> traffic;
            try
            {
                traffic = TerminalTraffic.OfTerminal(town, played);
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }

            var summary = new PlaySummary { Socket = socketPath, Seed = seed, Terminal = played.ToString(), Requested = maxEvents };
            var clock = Stopwatch.StartNew();
            try
            {
                using var client = new FraudEdgeClient(new FraudEdgeClientOptions
                {
                    SocketPath = socketPath, RequestTimeout = TimeSpan.FromMilliseconds(timeoutMs), ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMs),
                });
                foreach (EventLogRecord record in traffic)
                {
                    if (summary.Events == maxEvents) break;
                    if (record.Kind == EventLogRecordKind.Notice)
                    {
                        client.ReportOutcome(WireMapping.ToWire(record.Notice));
                        summary.Outcomes++;
                        continue;
                    }
                    ScoreResult result = client.Score(WireMapping.ToWire(record.Event));
                    summary.Add(TerminalTraffic.ToDecision(result));
                }
                StatusResponse status = client.GetStatus();
                summary.Model = status.ModelName is { } name ? $"{name} {status.ModelVersion}" : "rules only";
                summary.Profile = status.Profile;
            }
            catch (Exception e) when (e is FraudEdgeClientException or IOException or System.Net.Sockets.SocketException or TimeoutException)
            {
                Console.Error.WriteLine($"fraudedge play: {socketPath}: {e.Message} (after {summary.Events} events, {summary.Outcomes} outcome notices)");
                return TransportFailed;
            }
            summary.WallSeconds = clock.Elapsed.TotalSeconds;
            summary.AvailableEvents = traffic.Count(r => r.Kind == EventLogRecordKind.Event);
            if (json) summary.WriteJson();
            else summary.WriteText();
            return Played;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge play: {message}");
        Console.Error.WriteLine("usage: fraudedge play --socket PATH [--events N] [--seed S] [--terminals T] [--days D] [--fraud-multiplier X] [--terminal ID] [--timeout-ms MS] [--json]");
        return UsageError;
    }

    private sealed class PlaySummary
    {
        public string Socket { get; init; } = "";
        public long Seed { get; init; }
        public string Terminal { get; init; } = "";
        public int Requested { get; init; }
        public string Model { get; set; } = "";
        public string Profile { get; set; } = "";
        public int Events { get; private set; }
        public int AvailableEvents { get; set; }
        public int Outcomes { get; set; }
        public int Allowed { get; private set; }
        public int Reviewed { get; private set; }
        public int Denied { get; private set; }
        public int Rejected { get; private set; }
        public int ModelDecisions { get; private set; }
        public int RulesDecisions { get; private set; }
        public double WallSeconds { get; set; }

        public void Add(in Decision d)
        {
            Events++;
            if (d.Rejection.Code != ValidationErrorCode.None) { Rejected++; return; }
            if (d.Source == DecisionSource.Model) ModelDecisions++;
            else RulesDecisions++;
            switch (d.Verdict)
            {
                case Verdict.Allow: Allowed++; break;
                case Verdict.Review: Reviewed++; break;
                case Verdict.Deny: Denied++; break;
            }
        }

        public void WriteText()
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"played terminal {Terminal} (seed {Seed}) to {Socket}: {Events} events, {Outcomes} outcome notices"));
            Console.WriteLine(string.Create(inv, $"  service: {Model}, profile {Profile}"));
            Console.WriteLine(string.Create(inv, $"  {Allowed} allow / {Reviewed} review / {Denied} deny, {Rejected} rejected; {ModelDecisions} by the model, {RulesDecisions} by the rules"));
            if (Events == Requested) return;
            Console.WriteLine(string.Create(inv, $"  (the terminal had only {AvailableEvents} events in this simulation)"));
        }

        public void WriteJson()
        {
            using var stream = Console.OpenStandardOutput();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("socket", Socket);
                w.WriteNumber("seed", Seed);
                w.WriteString("terminal", Terminal);
                w.WriteString("model", Model);
                w.WriteString("profile", Profile);
                w.WriteNumber("events", Events);
                w.WriteNumber("available_events", AvailableEvents);
                w.WriteNumber("outcomes", Outcomes);
                w.WriteNumber("allowed", Allowed);
                w.WriteNumber("reviewed", Reviewed);
                w.WriteNumber("denied", Denied);
                w.WriteNumber("rejected", Rejected);
                w.WriteNumber("model_decisions", ModelDecisions);
                w.WriteNumber("rules_decisions", RulesDecisions);
                // Wall time of the whole run, not a latency: the service may be emulated.
                w.WriteNumber("wall_seconds", Math.Round(WallSeconds, 3));
                w.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
    }
}
