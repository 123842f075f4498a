using System.CommandLine;
using System.Globalization;
using FraudEdge.Core.Profiles;
using FraudEdge.Data.Dataset;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge dataset --log LOG --out DIR [--label-delay-days 7] [--val-days 3] [--test-days 7] [--profile entry-a53]`:
/// replays an event log through the core's history and tokenizer into the fe-dataset-1 folder.
/// </summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var log = new Option<string>("--log") { Description = "event log to replay", Required = true };
        var output = new Option<string>("--out") { Description = "dataset folder to write", Required = true };
        var delay = new Option<int>("--label-delay-days") { Description = "gap between validation and test; train/val labels must arrive before the test start", DefaultValueFactory = _ => 7 };
        var valDays = new Option<int>("--val-days") { Description = "validation days", DefaultValueFactory = _ => 3 };
        var testDays = new Option<int>("--test-days") { Description = "test days (at the end of the log)", DefaultValueFactory = _ => 7 };
        var profile = new Option<string>("--profile") { Description = "hardware profile (name or file) sizing each terminal's history", DefaultValueFactory = _ => FraudEdge.Data.Replay.EventLogReplay.DefaultProfile };
        var command = new Command("dataset", "export train/val/test token arrays from an event log (fe-dataset-1)")
        {
            log, output, delay, valDays, testDays, profile,
        };
        command.SetAction(parse =>
        {
            var options = new DatasetOptions
            {
                LabelDelayDays = parse.GetValue(delay),
                ValidationDays = parse.GetValue(valDays),
                TestDays = parse.GetValue(testDays),
                Profile = parse.GetValue(profile)!,
            };
            string logPath = parse.GetValue(log)!, dir = parse.GetValue(output)!;
            DatasetSummary summary;
            try
            {
                summary = new DatasetExporter(options).Export(logPath, dir);
            }
            catch (EventLogException e)
            {
                Console.Error.WriteLine($"{logPath}: {e.Message}");
                return 3;
            }
            catch (Exception e) when (e is ArgumentException or IOException or ProfileException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{logPath}: {e.Message}");
                return 2;
            }
            var inv = CultureInfo.InvariantCulture;
            var t = summary.Timeline;
            string[] names = ["train", "val", "gap (not exported)", "test"];
            long[] from = [t.T0, t.T1, t.T2, t.T3], to = [t.T1, t.T2, t.T3, t.T4];
            Console.WriteLine($"{dir}: fe-dataset-1 from {logPath} (profile {options.Profile}, label delay {options.LabelDelayDays} d)");
            for (int s = 0; s < 4; s++)
                Console.WriteLine(string.Create(inv,
                    $"  {names[s],-20} {Utc(from[s])} .. {Utc(to[s])}  {summary.Counts[s],8} events  {summary.Positives[s],6} positives  {summary.LateLabels[s],5} fraud labels not yet known"));
            Console.WriteLine(string.Create(inv, $"  {summary.Cards} cards, {summary.Notices} notices replayed, {summary.ElapsedSeconds:F1} s"));
            return 0;
        });
        return command;
    }

    private static string Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
