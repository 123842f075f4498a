using System.Diagnostics;
using FraudEdge.Core.Events;
using FraudEdge.Data;
using FraudEdge.Data.EventLog;
using FraudEdge.Simulator.Fraud;
using FraudEdge.Simulator.Traffic;
using FraudEdge.Simulator.World;

namespace FraudEdge.Simulator;

/// <summary>
/// Simulates card-present traffic at a town's terminals, day by day, and writes it as an event log: events
/// with their ground-truth typology, interleaved in time order with the outcome notices that follow them.
/// Deterministic: the options (seed included) fix every byte of the output. Memory stays proportional to the
/// town (cards, merchants) and one day of planned traffic, not to the length of the run.
/// </summary>
public sealed class TransactionSimulator
{
    public const string CreatedBy = "fraudedge-simulator 1";

    private readonly SimulationOptions _options;

    public TransactionSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    public EventLogHeader Header => new()
    {
        CreatedBy = CreatedBy,
        Source = _options.Describe(),
        Seed = _options.Seed,
        HasGroundTruth = true,
    };

    /// <summary>Writes the whole simulation to a new log file.</summary>
    public SimulationSummary WriteTo(string path)
    {
        using var writer = EventLogWriter.Create(path, Header);
        var summary = Run(writer);
        writer.Complete();
        return summary;
    }

    /// <summary>Runs the simulation into a writer (which the caller completes).</summary>
    public SimulationSummary Run(EventLogWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var clock = Stopwatch.StartNew();
        var world = new SimWorld(_options, new SimRandom(_options.Seed, 1));
        var intents = new IntentQueue();
        var notices = new NoticeQueue();
        var summary = new SimulationSummary();
        var genuine = new GenuineTraffic(world, new SimRandom(_options.Seed, 2), intents);
        var fraud = new FraudPlanner(world, new SimRandom(_options.Seed, 3), intents, _options.FraudRateMultiplier);
        var executor = new TransactionExecutor(world, new SimRandom(_options.Seed, 4), intents, notices, fraud.Episodes, summary);

        long endMs = CentralEuropeanTime.LocalMidnightUtc(world.StartLocalDay + _options.Days);
        for (int d = 0; d < _options.Days; d++)
        {
            long localDay = world.StartLocalDay + d;
            genuine.PlanDay(localDay);
            fraud.PlanDay(localDay);
            long dayEnd = Math.Min(endMs, CentralEuropeanTime.LocalMidnightUtc(localDay + 1));
            while (intents.TryPeekTime(out long due) && due < dayEnd)
            {
                var intent = intents.Dequeue();
                var terminal = world.Terminals[intent.Terminal];
                if (intent.TimestampMs < terminal.BusyUntilMs)
                {
                    // Still serving someone: this customer waits their turn.
                    intent.TimestampMs = terminal.BusyUntilMs + (intent.Typology == FraudTypology.Legitimate ? 3_000 : 1_000);
                    intents.Schedule(intent);
                    continue;
                }
                if (!executor.Execute(intent, out TransactionEvent evt)) continue;
                while (notices.TryTakeBefore(evt.TimestampUtcMs, out var notice)) Write(writer, notice, summary);
                writer.WriteEvent(evt, intent.Typology);
                summary.Events++;
            }
        }
        // Planned traffic beyond the last day is dropped; every notice is written, however late it arrives,
        // so the log holds the labels that will ever be known (the dataset export applies the label delay).
        intents.Clear();
        while (notices.TryTakeBefore(long.MaxValue, out var notice)) Write(writer, notice, summary);

        foreach (var episode in fraud.Episodes) summary.EpisodesByTypology[(int)episode.Typology]++;
        summary.Merchants = world.Merchants.Count;
        summary.Terminals = world.Terminals.Count;
        summary.Cards = world.Cards.Count;
        summary.ElapsedSeconds = clock.Elapsed.TotalSeconds;
        return summary;
    }

    private static void Write(EventLogWriter writer, in OutcomeNotice notice, SimulationSummary summary)
    {
        writer.WriteNotice(notice);
        summary.Notices++;
    }
}
