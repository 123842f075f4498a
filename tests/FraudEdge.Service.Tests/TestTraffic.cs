using FraudEdge.Data.EventLog;
using FraudEdge.Simulator;

namespace FraudEdge.Service.Tests;

/// <summary>Realistic traffic for one terminal: the simulator's town, filtered to its busiest terminal.</summary>
internal static class TestTraffic
{
    private static readonly Lazy<EventLogRecord[]> Cached = new(() => Build(seed: 11, days: 3));

    /// <summary>Events and outcome notices of one terminal, in time order (shared, read-only).</summary>
    public static EventLogRecord[] OneTerminal => Cached.Value;

    private static EventLogRecord[] Build(long seed, int days)
    {
        string dir = Directory.CreateTempSubdirectory("fraudedge-traffic-").FullName;
        try
        {
            string log = Path.Combine(dir, "town.felog");
            new TransactionSimulator(new SimulationOptions { Seed = seed, Days = days, Terminals = 6 }).WriteTo(log);
            var all = new List<EventLogRecord>();
            using (var reader = EventLogReader.Open(log))
            {
                while (reader.Read(out var record)) all.Add(record);
            }
            var busiest = all.Where(r => r.Kind == EventLogRecordKind.Event).GroupBy(r => r.Event.TerminalId)
                .OrderByDescending(g => g.Count()).First().Key;
            return all.Where(r => (r.Kind == EventLogRecordKind.Event ? r.Event.TerminalId : r.Notice.TerminalId) == busiest).ToArray();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
