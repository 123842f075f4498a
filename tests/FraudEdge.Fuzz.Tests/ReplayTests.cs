using FraudEdge.Fuzz.Targets;

namespace FraudEdge.Fuzz.Tests;

/// <summary>
/// Every committed fuzz input — seeds and, above all, crash inputs found by afl-fuzz — goes through the
/// same target code as under AFL, in-process. A crash file is added when AFL finds it (fuzz/run-afl.sh
/// copies it) and stays here after the fix, so the bug cannot come back unnoticed.
/// </summary>
public sealed class ReplayTests
{
    public static TheoryData<string, string, string> Inputs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (kind, target, path) in FuzzFiles.All()) data.Add(kind, target, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Committed_input_runs_through_its_target_without_throwing(string kind, string target, string relativePath)
    {
        Assert.True(FuzzTargets.TryGet(target, out FuzzTarget run), $"{kind}/{target} is not a fuzz target ({string.Join(", ", FuzzTargets.Names)})");
        run(FuzzFiles.Read(relativePath));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus_and_every_input_folder_names_a_target()
    {
        foreach (string target in FuzzTargets.Names)
            Assert.NotEmpty(FuzzFiles.Corpus(target));
        foreach (var (kind, target, path) in FuzzFiles.All())
            Assert.True(FuzzTargets.TryGet(target, out _), $"{path}: folder '{target}' under {kind}/ is not a target, so it would never be replayed");
    }
}
