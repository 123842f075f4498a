using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Client;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Profiles;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;
using Spectre.Console;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge demo`: the README's first command. Simulates a small town's terminals, starts the real
/// fraudedged on a temporary socket and plays one terminal of the town against it over IPC: some days of
/// warm-up traffic, then one trading day whose decisions are shown live, then what FraudEdge decided —
/// verdicts, frauds caught per typology, false declines, round-trip and in-core latency. `--in-process`
/// instead decides the whole town in-process, one engine per terminal.
/// </summary>
internal static partial class DemoCommand
{
    public static Command Create()
    {
        var seed = new Option<long>("--seed") { Description = "simulation seed", DefaultValueFactory = _ => 7 };
        var terminals = new Option<int>("--terminals") { Description = "terminals in the simulated town", DefaultValueFactory = _ => 40 };
        var warmup = new Option<int>("--warmup-days") { Description = "days of traffic that warm each terminal's history before the shown day", DefaultValueFactory = _ => 7 };
        var profile = new Option<string?>("--profile") { Description = "hardware profile name or file (default: entry-a53)" };
        var model = new Option<string?>("--model") { Description = "model bundle folder (default: the shipped, embedded bundle)" };
        var key = new Option<string[]>("--trusted-key") { Description = "PEM public key a bundle may be signed with (default: the embedded TEST key)" };
        var rulesOnly = new Option<bool>("--rules-only") { Description = "decide by the fallback rules alone" };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };
        var inProcess = new Option<bool>("--in-process") { Description = "decide every terminal of the town in-process, one engine each, instead of one terminal through fraudedged" };
        var terminal = new Option<string?>("--terminal") { Description = "the terminal to play over IPC (default: the one with the most fraud on the shown day)" };
        var quiet = new Option<bool>("--quiet") { Description = "no live decision lines, only the summary" };
        var command = new Command("demo", "stream a simulated trading day through FraudEdge and show what it decided")
        {
            seed, terminals, warmup, profile, model, key, rulesOnly, json, inProcess, terminal, quiet,
        };
        command.SetAction(parse => parse.GetValue(inProcess)
            ? Run(parse.GetValue(seed), parse.GetValue(terminals), parse.GetValue(warmup), parse.GetValue(profile), parse.GetValue(model),
                parse.GetValue(key) ?? [], parse.GetValue(rulesOnly), parse.GetValue(json))
            : RunOverIpc(new IpcDemoOptions(parse.GetValue(seed), parse.GetValue(terminals), parse.GetValue(warmup), parse.GetValue(profile),
                parse.GetValue(model), parse.GetValue(key) ?? [], parse.GetValue(rulesOnly), parse.GetValue(json), parse.GetValue(terminal),
                parse.GetValue(quiet))));
        return command;
    }

    private static int Run(long seed, int terminals, int warmupDays, string? profileName, string? modelDirectory, string[] keys, bool rulesOnly, bool json)
    {
        HardwareProfile profile = HardwareProfiles.Resolve(profileName);
        using TrustedKeys? trusted = FraudEdge.Cli.Infrastructure.CliKeys.Resolve(keys, modelDirectory, rulesOnly);
        string work = Directory.CreateTempSubdirectory("fraudedge-demo-").FullName;
        try
        {
            string logPath = Path.Combine(work, "town.felog");
            var sim = new TransactionSimulator(new SimulationOptions { Seed = seed, Days = warmupDays + 1, Terminals = terminals });
            Status(json, $"Simulating {terminals} terminals for {warmupDays + 1} days (seed {seed})...");
            sim.WriteTo(logPath);

            using var fleet = new TerminalFleet(profile, modelDirectory, rulesOnly, trusted);
            var report = new DemoReport();
            using var reader = EventLogReader.Open(logPath);
            long shownFromMs = 0;
            short localOffset = 0;
            long records = 0, totalBytes = new FileInfo(logPath).Length;

            void Stream(Action<double>? progress)
            {
                while (reader.Read(out EventLogRecord record))
                {
                    records++;
                    if (record.Kind == EventLogRecordKind.Notice)
                    {
                        fleet.Record(record.Notice);
                        continue;
                    }
                    if (shownFromMs == 0) localOffset = record.Event.LocalOffsetMinutes;
                    if (shownFromMs == 0) shownFromMs = DayStartAfter(record.Event.TimestampUtcMs, record.Event.LocalOffsetMinutes, warmupDays);
                    long t0 = Stopwatch.GetTimestamp();
                    Decision d = fleet.Evaluate(record.Event);
                    double micros = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                    if (record.Event.TimestampUtcMs >= shownFromMs) report.Add(record.Typology, d, micros);
                    if (progress is not null && (records & 1023) == 0) progress((double)reader.RecordOffset / totalBytes);
                }
            }

            if (json || Console.IsOutputRedirected) Stream(null);
            else
            {
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask("Deciding", maxValue: 1.0);
                    Stream(p => task.Value = p);
                    task.Value = 1.0;
                });
            }

            report.Model = fleet.Model is { } m ? $"{m.Manifest.Name} {m.Manifest.Version}" : rulesOnly ? "rules only" : $"none ({fleet.Refusal?.Code})";
            report.Profile = profile.Name;
            report.Terminals = fleet.Count;
            report.Transport = "in-process";
            report.Day = DateTimeOffset.FromUnixTimeMilliseconds(shownFromMs + localOffset * 60_000L).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (json) Console.WriteLine(JsonSerializer.Serialize(report.ToJson(), DemoJsonContext.Default.DemoSummary));
            else report.Render();
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Start (UTC ms) of the terminal-local day <paramref name="days"/> after the first event's day.</summary>
    private static long DayStartAfter(long firstEventMs, short offsetMinutes, int days)
    {
        const long day = 86_400_000;
        long offset = offsetMinutes * 60_000L;
        long localDay = Math.DivRem(firstEventMs + offset, day).Quotient;
        return (localDay + days) * day - offset;
    }

    private static void Status(bool json, string message)
    {
        if (!json) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
    }
}
