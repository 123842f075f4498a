using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Cli.Evaluation;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge model-card --model DIR --data LOG --dataset DIR --report REPORT.json --out docs/model-card.md`:
/// evaluates the bundle and the rules through FraudEngine on the dataset's test period and writes the card.
/// </summary>
internal static class ModelCardCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "the model bundle folder", Required = true };
        var data = new Option<string>("--data") { Description = "the event log the dataset was made from", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "the dataset folder (its test period is scored)", Required = true };
        var report = new Option<string>("--report") { Description = "training/ REPORT.json of the run that made the bundle", Required = true };
        var output = new Option<string>("--out") { Description = "markdown file to write", DefaultValueFactory = _ => "docs/model-card.md" };
        var key = new Option<string[]>("--trusted-key") { Description = "PEM public key the bundle is signed with (default: the TEST key)" };
        var command = new Command("model-card", "measure a bundle against its training report and write docs/model-card.md")
        {
            model, data, dataset, report, output, key,
        };
        command.SetAction(parse =>
        {
            string bundle = parse.GetValue(model)!, log = parse.GetValue(data)!, ds = parse.GetValue(dataset)!;
            using var datasetJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ds, "dataset.json")));
            using var reportJson = JsonDocument.Parse(File.ReadAllBytes(parse.GetValue(report)!));
            using var manifestJson = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bundle, "manifest.json")));
            var test = datasetJson.RootElement.GetProperty("splits").GetProperty("test");
            long from = Utc(test.GetProperty("from_utc").GetString()!), to = Utc(test.GetProperty("to_utc").GetString()!);
            string profileName = datasetJson.RootElement.TryGetProperty("profile", out var p) ? p.GetString()! : HardwareProfiles.DefaultName;
            var profile = HardwareProfiles.Resolve(profileName);
            using TrustedKeys? trusted = CliKeys.Resolve(parse.GetValue(key) ?? [], bundle, rulesOnly: false);
            Console.Error.WriteLine("evaluating the bundle through FraudEngine...");
            var engine = new Evaluator(profile, bundle, rulesOnly: false, trusted).Run(log, from, to);
            if (engine.ModelSha256 is null) { Console.Error.WriteLine($"the bundle was refused: {engine.Model}"); return 2; }
            Console.Error.WriteLine("evaluating the rules-only fallback...");
            var rules = new Evaluator(profile, null, rulesOnly: true, null).Run(log, from, to);
            string command = $"fraudedge model-card --model {bundle} --data {log} --dataset {ds} --report {parse.GetValue(report)}";
            string markdown = ModelCard.Render(reportJson.RootElement, datasetJson.RootElement, manifestJson.RootElement, engine, rules, bundle, command);
            File.WriteAllText(parse.GetValue(output)!, markdown);
            Console.WriteLine($"wrote {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    private static long Utc(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
