using FraudEdge.Client;
using FraudEdge.Core.Events;
using FraudEdge.Data.EventLog;

using FraudEdge.Service.Connections;
using FraudEdge.Simulator;

namespace FraudEdge.Bench.Memory;

/// <summary>
/// Simulated traffic for a memory run: the simulator's town (as many terminals as the profile serves, up to
/// 16), events and outcome notices in time order, played in laps so a run can last as long as asked. Each lap
/// moves timestamps past the previous lap and event ids past every id used, so the service sees a terminal
/// that keeps trading, never a replay it would refuse.
/// </summary>
internal sealed class SimulatedLoad
{
    private readonly EventLogRecord[] _records;
    private readonly long _spanMs;
    private readonly ulong _idSpan;

    private SimulatedLoad(EventLogRecord[] records)
    {
        _records = records;
        long first = records.Min(Timestamp), last = records.Max(Timestamp);
        _spanMs = last - first + 60_000;
        _idSpan = records.Max(r => r.Kind == EventLogRecordKind.Event ? r.Event.EventId : r.Notice.EventId) + 1;
        Terminals = records.Where(r => r.Kind == EventLogRecordKind.Event).Select(r => r.Event.TerminalId).Distinct().Count();
        EventsPerLap = records.Count(r => r.Kind == EventLogRecordKind.Event);
    }

    public int Terminals { get; }
    public int EventsPerLap { get; }

    public static SimulatedLoad Generate(int terminals, int days = 7, long seed = 20261128)
    {
        string dir = Directory.CreateTempSubdirectory("fraudedge-memory-load-").FullName;
        try
        {
            string log = Path.Combine(dir, "town.felog");
            new TransactionSimulator(new SimulationOptions { Seed = seed, Days = days, Terminals = Math.Clamp(terminals, 1, 16) }).WriteTo(log);
            var records = new List<EventLogRecord>();
            using (var reader = EventLogReader.Open(log))
            {
                while (reader.Read(out EventLogRecord r)) records.Add(r);
            }
            return new SimulatedLoad([.. records]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Plays laps until <paramref name="stop"/>; returns (decisions, outcome notices, errors by code).</summary>
    public (long Decisions, long Outcomes, Dictionary<string, long> Errors) Play(string socketPath, Func<bool> stop)
    {
        long decisions = 0, outcomes = 0;
        var errors = new Dictionary<string, long>(StringComparer.Ordinal);
        using var client = new FraudEdgeClient(new FraudEdgeClientOptions { SocketPath = socketPath, RequestTimeout = TimeSpan.FromSeconds(10) });
        for (long lap = 0; ; lap++)
        {
            foreach (EventLogRecord record in _records)
            {
                if (stop()) return (decisions, outcomes, errors);
                if (record.Kind == EventLogRecordKind.Notice)
                {
                    OutcomeNotice notice = record.Notice;
                    notice.EventId += (ulong)lap * _idSpan;
                    notice.TimestampUtcMs += lap * _spanMs;
                    OutcomeResult ack = client.ReportOutcome(WireMapping.ToWire(notice));
                    if (ack.Success) outcomes++;
                    else Count(errors, ack.Error.Code.ToString());
                    continue;
                }
                TransactionEvent e = record.Event;
                e.EventId += (ulong)lap * _idSpan;
                e.TimestampUtcMs += lap * _spanMs;
                ScoreResult result = client.Score(WireMapping.ToWire(e));
                if (result.Success) decisions++;
                else Count(errors, result.Error.Code.ToString());
            }
        }
    }

    private static void Count(Dictionary<string, long> errors, string code) =>
        errors[code] = errors.GetValueOrDefault(code) + 1;

    private static long Timestamp(EventLogRecord r) => r.Kind == EventLogRecordKind.Event ? r.Event.TimestampUtcMs : r.Notice.TimestampUtcMs;
}
