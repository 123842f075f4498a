using FraudEdge.Data;
using FraudEdge.Data.EventLog;

namespace FraudEdge.Simulator.Tests;

/// <summary>One medium simulation shared by the statistical tests (two weeks, 40 terminals, seed 1).</summary>
public sealed class SimulatedLog
{
    public static readonly SimulationOptions Options = new() { Seed = 1, Days = 14, Terminals = 40 };

    private static readonly Lazy<SimulatedLog> s_shared = new(() => new SimulatedLog());

    /// <summary>Built once per test run and shared by every test class (the run takes a few seconds).</summary>
    public static SimulatedLog Shared => s_shared.Value;

    private SimulatedLog()
    {
        using var stream = new MemoryStream();
        using (var writer = new EventLogWriter(stream, new TransactionSimulator(Options).Header, leaveOpen: true))
        {
            Summary = new TransactionSimulator(Options).Run(writer);
            writer.Complete();
        }
        Bytes = stream.ToArray();
        using var reader = new EventLogReader(new MemoryStream(Bytes));
        while (reader.Read(out var record)) Records.Add(record);
    }

    public SimulationSummary Summary { get; }
    public byte[] Bytes { get; }
    public List<EventLogRecord> Records { get; } = [];

    public static byte[] Simulate(SimulationOptions options)
    {
        using var stream = new MemoryStream();
        var simulator = new TransactionSimulator(options);
        using (var writer = new EventLogWriter(stream, simulator.Header, leaveOpen: true))
        {
            simulator.Run(writer);
            writer.Complete();
        }
        return stream.ToArray();
    }
}
