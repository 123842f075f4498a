using System.Diagnostics;
using System.Globalization;
using FraudEdge.Bench.Ipc;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;

namespace FraudEdge.Bench;

/// <summary>
/// `FraudEdge.Bench audit [--dir D] [--rounds R] [--appends N]`: the latency of one <see cref="AuditLog.AppendDecision"/>
/// (a 281-byte decision record) as the service pays it before each answer, for the writer's configurations side by side
/// on the same disk: fsync-each-record on preallocated segments (fdatasync over zeros already on disk — the shipped
/// writer), fsync-each-record growing the file (the writer before preallocation, fsync per append), and group commit.
/// Rounds alternate between the configurations, each in a fresh folder, so a machine whose disk changes speed during
/// the run affects all of them alike. Wall clock per append (Stopwatch), nearest-rank quantiles over all rounds.
/// </summary>
internal static class AuditAppendLatency
{
    private sealed record Config(string Name, AuditDurability Durability, bool Preallocate);

    public static int Run(string[] args)
    {
        string root = Path.Combine(Path.GetTempPath(), "fraudedge-audit-bench-" + Environment.ProcessId);
        int rounds = 6, appends = 2000;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--dir": root = Path.Combine(Path.GetFullPath(args[i + 1]), "fraudedge-audit-bench-" + Environment.ProcessId); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--appends": appends = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        Config[] configs =
        [
            new("fsync-each-record, preallocated (fdatasync)", AuditDurability.FsyncEachRecord, true),
            new("fsync-each-record, growing file (fsync)", AuditDurability.FsyncEachRecord, false),
            new("group-commit 5 ms, preallocated", AuditDurability.GroupCommit, true),
        ];
        var logs = configs.Select(_ => LatencyLog.ForStopwatch(rounds * appends)).ToArray();
        var model = AuditModelStamp.Create(new AuditHash(1, 2, 3, 4), "bench", "1.0.0", "bench");
        var decision = new Decision { Verdict = Verdict.Allow, RiskScore = 12, Probability = 0.12f, Source = DecisionSource.Model, ElapsedMicroseconds = 60 };
        try
        {
            Directory.CreateDirectory(root);
            Console.WriteLine($"audit append latency: {rounds} rounds x {appends} decision records per configuration, interleaved, in {root}");
            for (int round = 0; round < rounds; round++)
            {
                for (int c = 0; c < configs.Length; c++)
                {
                    string dir = Path.Combine(root, $"r{round}-c{c}");
                    // entry-a53's segment size; the total never forces a rotation in a round.
                    var options = new AuditLogOptions
                    {
                        Directory = dir, SegmentBytes = 4L << 20, MaxTotalBytes = 64L << 20, Durability = configs[c].Durability,
                        GroupCommitMs = 5, Preallocate = configs[c].Preallocate,
                    };
                    using (var log = AuditLog.Open(options))
                    {
                        for (int i = 0; i < appends; i++)
                        {
                            TransactionEvent evt = Event(round * appends + i);
                            long t0 = Stopwatch.GetTimestamp();
                            log.AppendDecision(evt, decision, model);
                            logs[c].Add(Stopwatch.GetTimestamp() - t0);
                        }
                    }
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine("| configuration | appends | p50 µs | p90 µs | p99 µs | p99/p50 | max µs | appends/s (1 / mean) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int c = 0; c < configs.Length; c++)
        {
            LatencySummary s = LatencySummary.Of(logs[c]);
            double p90 = Quantile(logs[c], 0.90);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {configs[c].Name} | {s.Count} | {s.MedianUs:F1} | {p90:F1} | {s.P99Us:F1} | {s.P99OverMedian:F2} | {s.MaxUs:F0} | {1e6 / s.MeanUs:F0} |"));
        }
        return 0;
    }

    private static double Quantile(LatencyLog log, double q)
    {
        long[] sorted = log.Values.ToArray();
        Array.Sort(sorted);
        return LatencySummary.Quantile(sorted, q) * 1e6 / log.TicksPerSecond;
    }

    private static TransactionEvent Event(int i) => new()
    {
        EventId = (ulong)i + 1,
        TerminalId = TerminalId.Parse("T0001"),
        MerchantId = MerchantId.Parse("M000000000001"),
        TimestampUtcMs = 1_790_000_000_000L + i * 30_000L,
        Kind = TransactionKind.Purchase,
        AmountMinor = 1_000 + i % 5_000,
        CurrencyCode = 978,
        MerchantCategoryCode = 5411,
        Scheme = CardScheme.Visa,
        EntryMode = EntryMode.ContactlessChip,
    };
}
