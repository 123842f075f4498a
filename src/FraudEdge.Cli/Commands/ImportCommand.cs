using System.CommandLine;
using System.Globalization;
using FraudEdge.Data.EventLog;
using FraudEdge.Data.Import;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge import --csv FILE --out LOG [--map field=column,...] [--key-file KEY] [--label-delay-hours H]`:
/// historical transactions from CSV into an event log, card ids tokenized on the way in.
/// </summary>
internal static class ImportCommand
{
    private const int ErrorsShown = 50;

    public static Command Create()
    {
        var csv = new Option<string>("--csv") { Description = "CSV file with a header row", Required = true };
        var output = new Option<string>("--out") { Description = "event log file to write", Required = true };
        var map = new Option<string?>("--map") { Description = "column mapping field=column,... (default: columns named like the fields)" };
        var keyFile = new Option<string?>("--key-file") { Description = "tokenization key: 32+ hex digits, or a binary file of 16+ bytes" };
        var delay = new Option<double>("--label-delay-hours") { Description = "a fraud row's FraudReported notice arrives this long after the row", DefaultValueFactory = _ => 0 };
        var delimiter = new Option<string>("--delimiter") { Description = "field delimiter (one character; \\t for tab)", DefaultValueFactory = _ => "," };
        var minor = new Option<bool>("--amount-minor-units") { Description = "amounts are integers in minor units (cents)" };
        var command = new Command("import", "import historical transactions from CSV into an event log")
        {
            csv, output, map, keyFile, delay, delimiter, minor,
        };
        command.SetAction(parse =>
        {
            string delimiterText = parse.GetValue(delimiter)!;
            if (delimiterText == "\\t") delimiterText = "\t";
            if (delimiterText.Length != 1)
            {
                Console.Error.WriteLine("--delimiter must be one character");
                return 2;
            }
            byte[] key;
            if (parse.GetValue(keyFile) is string keyPath)
            {
                try
                {
                    key = CsvImporter.ReadKeyFile(keyPath);
                }
                catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"--key-file: {e.Message}");
                    return 2;
                }
            }
            else
            {
                key = CsvImporter.RandomKey();
                Console.Error.WriteLine("warning: no --key-file: card ids are tokenized with a random one-off key; tokens will not match any other import or live traffic");
            }
            double hours = parse.GetValue(delay);
            if (hours is < 0 or > 24 * 365 || double.IsNaN(hours))
            {
                Console.Error.WriteLine("--label-delay-hours must be 0..8760");
                return 2;
            }
            ColumnMap columns;
            try
            {
                columns = ColumnMap.Parse(parse.GetValue(map));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"--map: {e.Message}");
                return 2;
            }
            var importer = new CsvImporter(new ImportOptions
            {
                Columns = columns,
                TokenKey = key,
                Delimiter = delimiterText[0],
                LabelDelay = TimeSpan.FromHours(hours),
                AmountInMinorUnits = parse.GetValue(minor),
            });
            string input = parse.GetValue(csv)!, log = parse.GetValue(output)!;
            ImportSummary summary;
            try
            {
                summary = importer.Import(input, log);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{input}: {e.Message}");
                return 2;
            }
            foreach (var error in summary.Errors.Take(ErrorsShown)) Console.Error.WriteLine($"{input}: {error}");
            if (summary.Rejected > ErrorsShown) Console.Error.WriteLine($"{input}: ... {summary.Rejected - ErrorsShown} more rejected rows");
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"{log}: {summary.Rows} rows read, {summary.Imported} imported, {summary.Rejected} rejected; {summary.FraudLabels} fraud labels, {summary.IssuerResponses} issuer responses, {summary.DistinctTerminals} terminals"));
            if (summary.Imported > 0)
                Console.WriteLine(string.Create(inv, $"time span {Utc(summary.FirstTimestampUtcMs)} .. {Utc(summary.LastTimestampUtcMs)}"));
            if (summary.PanLikeCardIds > 0)
                Console.WriteLine(string.Create(inv, $"note: {summary.PanLikeCardIds} card ids look like PANs; they were tokenized (BIN and last four kept) and are not stored"));
            if (summary.MissingOptionalFields.Count > 0)
                Console.WriteLine($"unknown in every event (no column): {string.Join(", ", summary.MissingOptionalFields)}");
            return summary.Imported > 0 ? 0 : 1;
        });
        return command;
    }

    private static string Utc(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
