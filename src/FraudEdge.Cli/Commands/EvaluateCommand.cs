using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using Spectre.Console;

namespace FraudEdge.Cli.Commands;

/// <summary>`fraudedge evaluate --model DIR --data LOG [--dataset DIR] [--json]`: model quality through the engine.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "model bundle folder (default: the shipped bundle)" };
        var data = new Option<string>("--data") { Description = "event log to score", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "dataset folder whose dataset.json test period is scored (default: the whole log)" };
        var from = new Option<string?>("--from") { Description = "score events from this UTC time (ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "score events before this UTC time (ISO 8601)" };
        var profile = new Option<string?>("--profile") { Description = "hardware profile of each terminal's engine (default entry-a53)" };
        var key = new Option<string[]>("--trusted-key") { Description = "PEM public key the bundle may be signed with (default: the embedded TEST key)" };
        var rulesOnly = new Option<bool>("--rules-only") { Description = "evaluate the rules-only fallback instead of a model" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("evaluate", "score an event log through FraudEngine and report model quality")
        {
            model, data, dataset, from, to, profile, key, rulesOnly, json,
        };
        command.SetAction(parse =>
        {
            string log = parse.GetValue(data)!;
            long fromMs = long.MinValue, toMs = long.MaxValue;
            if (parse.GetValue(dataset) is string ds)
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ds, "dataset.json")));
                var test = doc.RootElement.GetProperty("splits").GetProperty("test");
                fromMs = ParseUtc(test.GetProperty("from_utc").GetString()!);
                toMs = ParseUtc(test.GetProperty("to_utc").GetString()!);
            }
            if (parse.GetValue(from) is string f) fromMs = ParseUtc(f);
            if (parse.GetValue(to) is string t) toMs = ParseUtc(t);
            string[] keys = parse.GetValue(key) ?? [];
            using TrustedKeys? trusted = FraudEdge.Cli.Infrastructure.CliKeys.Resolve(keys, parse.GetValue(model), parse.GetValue(rulesOnly));
            var evaluator = new Evaluator(HardwareProfiles.Resolve(parse.GetValue(profile)), parse.GetValue(model), parse.GetValue(rulesOnly), trusted);
            EvaluationReport report;
            if (parse.GetValue(json) || Console.IsOutputRedirected) report = evaluator.Run(log, fromMs, toMs);
            else
            {
                report = null!;
                AnsiConsole.Progress().AutoClear(true).Start(ctx =>
                {
                    var task = ctx.AddTask("Scoring", maxValue: 1.0);
                    report = evaluator.Run(log, fromMs, toMs, p => task.Value = p);
                });
            }
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, EvaluationJsonContext.Default.EvaluationReport));
            else Render(report);
            return 0;
        });
        return command;
    }

    private static long ParseUtc(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();

    private static void Render(EvaluationReport r)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Model)}[/] on {Markup.Escape(r.Data)} [[{r.FromUtc} .. {r.ToUtc})): {r.Events} events, {r.Positives} fraud");
        var t = new Table().AddColumns("metric", "value");
        t.AddRow("average precision", $"{r.AveragePrecision:F4}");
        t.AddRow("ROC AUC", $"{r.RocAuc:F4}");
        t.AddRow("recall @ 0.1 % FPR", $"{r.RecallAtFpr01:F4}");
        t.AddRow("recall @ 1 % FPR", $"{r.RecallAtFpr1:F4}");
        t.AddRow("card precision@100 / day", $"{r.CardPrecisionAt100:F4}");
        t.AddRow("latency p50 / p99", $"{r.LatencyP50Us} / {r.LatencyP99Us} µs");
        AnsiConsole.Write(t);
        var c = new Table().AddColumns("verdict", "fraud", "legitimate");
        foreach (var (verdict, counts) in r.Confusion) c.AddRow(verdict, $"{counts["fraud"]}", $"{counts["legitimate"]}");
        AnsiConsole.Write(c);
        var ty = new Table().AddColumns("typology", "events", "recall (deny)", "recall (review or deny)");
        foreach (var (name, x) in r.PerTypology) ty.AddRow(name, $"{x.Events}", $"{x.RecallDeny:P1}", $"{x.RecallFlagged:P1}");
        AnsiConsole.Write(ty);
    }
}
