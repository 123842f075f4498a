using FraudEdge.Client;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Simulator;
using ValidationResult = FraudEdge.Core.Events.ValidationResult;

namespace FraudEdge.Cli.Evaluation;

/// <summary>
/// One simulated terminal's traffic, as `demo` and `play` send it to fraudedged: a town is simulated into a temp
/// event log, one terminal is chosen, and its events and outcome notices are kept in log order (the order a
/// terminal would send them, and the order the history must see them in).
/// </summary>
internal static class TerminalTraffic
{
    /// <summary>Every record of a simulated town, in log order. The log is written under <paramref name="workDirectory"/>.</summary>
    public static List<EventLogRecord> SimulateTown(long seed, int terminals, int days, string workDirectory, double fraudRateMultiplier = 1.0)
    {
        string logPath = Path.Combine(workDirectory, "town.felog");
        new TransactionSimulator(new SimulationOptions { Seed = seed, Days = days, Terminals = terminals, FraudRateMultiplier = fraudRateMultiplier })
            .WriteTo(logPath);
        var records = new List<EventLogRecord>();
        using var reader = EventLogReader.Open(logPath);
        while (reader.Read(out EventLogRecord r)) records.Add(r);
        return records;
    }

    /// <summary>The terminal with the most fraud from <paramref name="fromMs"/> on (then the busiest, then by id): there is something to show.</summary>
    public static TerminalId PickTerminal(List<EventLogRecord> records, long fromMs) =>
        records.Where(r => r.Kind == EventLogRecordKind.Event && r.Event.TimestampUtcMs >= fromMs)
            .GroupBy(r => r.Event.TerminalId)
            .OrderByDescending(g => g.Count(r => r.Typology != FraudTypology.Legitimate))
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .First().Key;

    /// <summary>The events and outcome notices of one terminal, in log order.</summary>
    public static List<EventLogRecord> OfTerminal(List<EventLogRecord> records, TerminalId terminal)
    {
        var traffic = records.Where(r => (r.Kind == EventLogRecordKind.Event ? r.Event.TerminalId : r.Notice.TerminalId) == terminal).ToList();
        if (traffic.Count == 0) throw new ArgumentException($"terminal {terminal} has no traffic in this simulation");
        return traffic;
    }

    /// <summary>A service answer as the in-process <see cref="Decision"/> it stands for.</summary>
    public static Decision ToDecision(in ScoreResult result)
    {
        if (!result.Success)
            return new Decision { Rejection = new ValidationResult((ValidationErrorCode)result.Error.Detail, result.Error.Field, result.Error.Message) };
        ScoreResponse r = result.Response;
        return new Decision
        {
            EventId = r.EventId, Verdict = (Verdict)r.Verdict, RiskScore = r.RiskScore, Probability = r.Probability,
            Reasons = (ReasonCode)r.Reasons, Source = (DecisionSource)r.Source, ElapsedMicroseconds = (int)r.ElapsedMicroseconds,
            Rejection = ValidationResult.Ok,
        };
    }
}
