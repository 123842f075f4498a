using FraudEdge.Cli.Commands;

namespace FraudEdge.Cli.Tests;

public class DocsTests
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    [Fact]
    public void Tokenizer_spec_in_docs_is_generated_from_the_code()
    {
        string committed = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "tokenizer.md"));
        Assert.True(committed == TokenizerCommand.Render(),
            "docs/tokenizer.md is stale: run `dotnet run --project src/FraudEdge.Cli -- tokenizer --doc docs/tokenizer.md`");
    }
}
