using System.CommandLine;
using System.Globalization;
using FraudEdge.Simulator;

namespace FraudEdge.Cli.Commands;

/// <summary>`fraudedge simulate --seed N --days D --terminals T --out FILE [--start YYYY-MM-DD]`: writes a simulated event log.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var seed = new Option<long>("--seed") { Description = "random seed; the same options give a byte-identical log", DefaultValueFactory = _ => 1 };
        var days = new Option<int>("--days") { Description = "simulated days", DefaultValueFactory = _ => 28 };
        var terminals = new Option<int>("--terminals") { Description = "number of terminals", DefaultValueFactory = _ => 40 };
        var start = new Option<string>("--start") { Description = "first local (CET) day, YYYY-MM-DD", DefaultValueFactory = _ => "2026-01-05" };
        var fraudRate = new Option<double>("--fraud-multiplier") { Description = "scale every fraud episode rate (1 = documented mix)", DefaultValueFactory = _ => 1.0 };
        var output = new Option<string>("--out") { Description = "event log file to write", Required = true };
        var quiet = new Option<bool>("--quiet") { Description = "print only one summary line" };
        var command = new Command("simulate", "simulate terminal traffic with labelled fraud typologies into an event log")
        {
            seed, days, terminals, start, fraudRate, output, quiet,
        };
        command.SetAction(parse =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(start), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                Console.Error.WriteLine("--start must be a date YYYY-MM-DD");
                return 2;
            }
            var options = new SimulationOptions
            {
                Seed = parse.GetValue(seed),
                Days = parse.GetValue(days),
                Terminals = parse.GetValue(terminals),
                Start = first,
                FraudRateMultiplier = parse.GetValue(fraudRate),
            };
            string path = parse.GetValue(output)!;
            try
            {
                var summary = new TransactionSimulator(options).WriteTo(path);
                if (parse.GetValue(quiet))
                    Console.WriteLine(FormattableString.Invariant($"{path}: {summary.Events} events, {summary.Notices} notices, fraud {summary.FraudRate * 100:F2} %, {summary.ElapsedSeconds:F1} s"));
                else
                    Console.Write($"{path}: {options.Describe()}\n{summary.ToText()}");
                return 0;
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }
}
