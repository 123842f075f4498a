using System.CommandLine;
using System.Text;
using System.Text.Json;
using FraudEdge.Cli.Audit;
using FraudEdge.Cli.Infrastructure;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge report AUDIT_DIR --out FILE [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--no-replay]`:
/// one self-contained HTML file for an auditor — chain status, models in force over time, verdicts per day, the
/// score distribution, top reasons, replay agreement and, where labels exist, precision/recall. Exit 0 written,
/// 1 the log is broken (the report is still written), 2 usage (docs/audit-log.md, "Report").
/// </summary>
internal static class ReportCommand
{
    public const int Written = 0;
    public const int BrokenLog = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        var directory = new Argument<string?>("AUDIT_DIR") { Description = "the audit folder (audit-NNNNNNNN.log segments)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string?>("--out") { Description = "the HTML file to write" };
        var model = new Option<string?>("--model") { Description = "model bundle folder to replay with (default: the shipped bundle)" };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key the bundle may be signed with; repeatable (default for a --model folder: the TEST key, with a note)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var profile = new Option<string?>("--profile") { Description = "hardware profile name or file of the recording device (default entry-a53)" };
        var noReplay = new Option<bool>("--no-replay") { Description = "do not replay the log (no replay agreement in the report)" };
        var command = new Command("report", "write one self-contained HTML audit report of an audit log; exit 0 written, 1 broken log (still written), 2 usage")
        {
            directory, output, model, keys, profile, noReplay,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0) return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? dir = parse.GetValue(directory);
            if (string.IsNullOrEmpty(dir)) return Usage("AUDIT_DIR is required");
            if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            string? outFile = parse.GetValue(output);
            if (string.IsNullOrEmpty(outFile)) return Usage("--out FILE is required");
            string? outDir = Path.GetDirectoryName(Path.GetFullPath(outFile));
            if (outDir is not null && !Directory.Exists(outDir)) return Usage($"folder of --out '{outDir}' does not exist");
            string[] keyFiles = parse.GetValue(keys) ?? [];
            if (parse.GetResult(keys) is not null && keyFiles.Length == 0) return Usage("--trusted-key needs a PEM file");
            string? modelDir = parse.GetValue(model);
            bool skip = parse.GetValue(noReplay);
            if (skip && modelDir is not null) return Usage("--no-replay and --model exclude each other");
            if (modelDir is not null && !Directory.Exists(modelDir)) return Usage($"model folder '{modelDir}' does not exist");

            if (!CliProfiles.TryResolve(parse.GetValue(profile), out HardwareProfile hardware, out string profileError)) return Usage(profileError);

            TrustedKeys? trusted;
            try
            {
                trusted = skip ? null : CliKeys.Resolve(keyFiles, modelDir, rulesOnly: false);
            }
            catch (BundleException e)
            {
                return Usage(e.Message);
            }
            using (trusted)
            {
                AuditReplayOptions? options = skip ? null : new AuditReplayOptions { Profile = hardware, ModelDirectory = modelDir, TrustedKeys = trusted, MaxMismatches = 20 };
                AuditReportData data;
                try
                {
                    data = AuditReportBuilder.Collect(dir, options);
                }
                catch (BundleException e)
                {
                    return Usage($"the bundle was refused: {e.Code}: {e.Message}");
                }
                try
                {
                    File.WriteAllText(outFile, AuditReportHtml.Render(data), new UTF8Encoding(false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Usage($"cannot write '{outFile}': {e.Message}");
                }
                bool broken = !data.Verify.Intact || data.ReadProblem is not null;
                Console.WriteLine(broken
                    ? $"wrote {Path.GetFullPath(outFile)}: the log is BROKEN ({(data.Verify.Problem ?? data.ReadProblem)!.Kind})"
                    : $"wrote {Path.GetFullPath(outFile)}: chain intact, {data.Decisions} decisions");
                return broken ? BrokenLog : Written;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge report: {message}");
        Console.Error.WriteLine("usage: fraudedge report AUDIT_DIR --out FILE [--model DIR] [--trusted-key PEM ...] [--profile NAME|FILE] [--no-replay]");
        return UsageError;
    }
}
