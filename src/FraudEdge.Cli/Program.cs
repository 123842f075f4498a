using System.CommandLine;
using FraudEdge.Cli.Commands;

namespace FraudEdge.Cli;

/// <summary>`fraudedge`: one binary for the demo, the model pipeline's data steps and (later) audit tools.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        PlatformSha256.Install(); // audit hashing at the platform's speed where there is one (PlatformSha256)
        var root = new RootCommand("FraudEdge: on-device fraud decisions for payment terminals");
        // One line per command; each command lives in Commands/<Name>Command.cs.
        foreach (Command command in Commands())
            root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }

    private static IEnumerable<Command> Commands()
    {
        yield return ProfilesCommand.Create();
        yield return TokenizerCommand.Create();
        yield return DemoCommand.Create();
        yield return PlayCommand.Create();
        yield return EvaluateCommand.Create();
        yield return ModelCardCommand.Create();
        yield return SimulateCommand.Create();
        yield return ImportCommand.Create();
        yield return DatasetCommand.Create();
        yield return VerifyCommand.Create();
        yield return ReplayCommand.Create();
        yield return CompareCommand.Create();
        yield return DiffCommand.Create();
        yield return ExplainCommand.Create();
        yield return ReportCommand.Create();
    }
}
