using FraudEdge.CostPerDecision;

// cost-per-decision run  --decisions N [--model DIR --key PEM] [--profile NAME|PATH] [--audit DIR] [--deadline-us US]
// cost-per-decision info [--model DIR --key PEM] [--profile NAME|PATH]
// cost-per-decision report --work DIR --runs R --n1 N1 --n2 N2 --info INFO.json --json OUT.json [...]
// Driven by scripts/cost-per-decision.sh, which runs `run` under valgrind (callgrind) for two N and divides the
// difference of the instruction counts by the difference of N (bench/README.md, "Cost per decision").
if (args.Length > 0 && args[0] == "report") return CostReport.Run(args.AsSpan(1));
if (args.Length == 0 || args[0] is not ("run" or "info"))
{
    Console.Error.WriteLine("usage: cost-per-decision run --decisions N [--model DIR --key PEM] [--profile NAME|PATH] [--audit DIR] [--deadline-us US]");
    Console.Error.WriteLine("       cost-per-decision info [--model DIR --key PEM] [--profile NAME|PATH]");
    Console.Error.WriteLine("       cost-per-decision report --work DIR --runs R --n1 N1 --n2 N2 --info INFO.json --json OUT.json [--commit SHA --dirty true|false --valgrind VERSION --seconds S]");
    return 2;
}
if (!CostOptions.TryParse(args.AsSpan(1), out CostOptions? options, out string? error))
{
    Console.Error.WriteLine(error);
    return 2;
}
return args[0] == "run" ? DecisionLoop.Run(options) : BundleFacts.Write(options, Console.OpenStandardOutput());
