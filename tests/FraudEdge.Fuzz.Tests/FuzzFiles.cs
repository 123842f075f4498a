namespace FraudEdge.Fuzz.Tests;

/// <summary>The committed fuzz inputs: fuzz/corpus/&lt;target&gt;/* and fuzz/crashes/&lt;target&gt;/*, read from the work tree.</summary>
internal static class FuzzFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FuzzDirectory => Path.Combine(RepoRoot, "fuzz");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln")) && Directory.Exists(Path.Combine(dir.FullName, "fuzz")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no FraudEdge.sln with a fuzz/ folder above {AppContext.BaseDirectory}");
    }

    /// <summary>(kind, target, path relative to fuzz/) for every input file; kind is "corpus" or "crashes".</summary>
    public static IEnumerable<(string Kind, string Target, string RelativePath)> All()
    {
        foreach (string kind in new[] { "corpus", "crashes" })
        {
            string root = Path.Combine(FuzzDirectory, kind);
            if (!Directory.Exists(root)) continue;
            string[] targets = Directory.GetDirectories(root);
            Array.Sort(targets, StringComparer.Ordinal);
            foreach (string targetDir in targets)
            {
                string[] files = Directory.GetFiles(targetDir, "*", SearchOption.AllDirectories);
                Array.Sort(files, StringComparer.Ordinal);
                foreach (string file in files)
                {
                    if (Path.GetFileName(file) is ".gitkeep" or "README.md") continue;
                    yield return (kind, Path.GetFileName(targetDir), Path.GetRelativePath(FuzzDirectory, file));
                }
            }
        }
    }

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(FuzzDirectory, relativePath));

    public static List<byte[]> Corpus(string target)
    {
        var seeds = new List<byte[]>();
        foreach (var (kind, t, path) in All())
        {
            if (kind == "corpus" && t == target) seeds.Add(Read(path));
        }
        return seeds;
    }
}
