using FraudEdge.Fuzz;
using FraudEdge.Fuzz.Targets;
using SharpFuzz;

// Usage (fuzz/README.md):
//   FraudEdge.Fuzz <target>                          run under afl-fuzz (stdin/forkserver via SharpFuzz)
//   FraudEdge.Fuzz <target> --replay PATH...         run files (or every file of folders) in-process
//   FraudEdge.Fuzz <target> --random N [--seed S] [--corpus DIR]   bounded in-process mutation run
//   FraudEdge.Fuzz make-corpus DIR                   (re)write the seed corpus
//   FraudEdge.Fuzz list

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: FraudEdge.Fuzz <target> [--replay PATH... | --random N [--seed S] [--corpus DIR]] | make-corpus DIR | list");
    Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}
if (args[0] == "list")
{
    foreach (string name in FuzzTargets.Names) Console.WriteLine(name);
    return 0;
}
if (args[0] == "make-corpus")
{
    SeedCorpus.Write(args.Length > 1 ? args[1] : "fuzz/corpus");
    return 0;
}

if (!FuzzTargets.TryGet(args[0], out FuzzTarget target))
{
    Console.Error.WriteLine($"unknown target '{args[0]}' (have: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}
string targetName = args[0];

if (args.Length > 1 && args[1] == "--replay")
{
    int failures = 0, count = 0;
    foreach (string file in ExpandFiles(args.Skip(2)))
    {
        count++;
        try
        {
            target(File.ReadAllBytes(file));
            Console.WriteLine($"ok    {file}");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"CRASH {file}: {e}");
        }
    }
    Console.WriteLine($"{count - failures} passed, {failures} failed");
    return failures == 0 ? 0 : 1;
}

if (args.Length > 1 && args[1] == "--random")
{
    int iterations = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    int seed = 1;
    string corpus = Path.Combine("fuzz", "corpus", targetName);
    for (int i = 3; i + 1 < args.Length; i += 2)
    {
        if (args[i] == "--seed") seed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
        else if (args[i] == "--corpus") corpus = args[i + 1];
    }
    var seeds = Directory.Exists(corpus) ? ExpandFiles([corpus]).Select(File.ReadAllBytes).ToList() : [];
    try
    {
        RandomRunResult result = RandomRun.Run(targetName, seeds, iterations, seed);
        Console.WriteLine($"{targetName}: {result.Executions} inputs from {seeds.Count} seeds, seed {seed}, {result.Elapsed.TotalSeconds:F2} s, {result.ExecutionsPerSecond:F0} execs/s, no crash");
        return 0;
    }
    catch (RandomRunFailure failure)
    {
        Console.Error.WriteLine(failure.ToString());
        return 1;
    }
}

// Under afl-fuzz: SharpFuzz runs the target in a child process it restarts after a crash, reading each
// input from the file AFL gives it. Any exception that escapes is reported to AFL as a crash.
byte[] buffer = new byte[1 << 20];
Fuzzer.OutOfProcess.Run(stream =>
{
    int length = 0, read;
    while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
    target(buffer.AsSpan(0, length));
});
return 0;

static IEnumerable<string> ExpandFiles(IEnumerable<string> paths)
{
    foreach (string path in paths)
    {
        if (Directory.Exists(path))
        {
            string[] files = Directory.GetFiles(path, "*", SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string file in files)
            {
                if (Path.GetFileName(file) is "README.md" or ".gitkeep") continue;
                yield return file;
            }
        }
        else
        {
            yield return path;
        }
    }
}

