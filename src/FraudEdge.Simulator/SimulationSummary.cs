using System.Globalization;
using System.Text;
using FraudEdge.Data;

namespace FraudEdge.Simulator;

/// <summary>What a run produced, measured while writing it: counts by typology, labels, and observable signals.</summary>
public sealed class SimulationSummary
{
    public const int TypologyCount = 8;
    private static readonly int SignalCount = Enum.GetValues<ObservableSignal>().Length;

    public int Merchants { get; internal set; }
    public int Terminals { get; internal set; }
    public int Cards { get; internal set; }
    public long Events { get; internal set; }
    public long Notices { get; internal set; }
    public long IssuerResponses { get; internal set; }
    public long FraudReports { get; internal set; }
    public long Chargebacks { get; internal set; }
    /// <summary>Genuine events that nevertheless received a fraud label ("friendly fraud" chargebacks).</summary>
    public long GenuineEventsLabelledFraud { get; internal set; }
    public long[] EventsByTypology { get; } = new long[TypologyCount];
    /// <summary>Events with at least one fraud report or chargeback, whenever it arrives.</summary>
    public long[] LabelledByTypology { get; } = new long[TypologyCount];
    public long[] DeclinedByTypology { get; } = new long[TypologyCount];
    public long[] EpisodesByTypology { get; } = new long[TypologyCount];
    /// <summary>[signal, 0 = genuine / 1 = fraud].</summary>
    public long[,] Signals { get; } = new long[SignalCount, 2];
    public double ElapsedSeconds { get; internal set; }

    public long FraudEvents
    {
        get
        {
            long sum = 0;
            for (int t = 1; t < TypologyCount; t++) sum += EventsByTypology[t];
            return sum;
        }
    }

    public double FraudRate => Events == 0 ? 0 : (double)FraudEvents / Events;

    public double TypologyRate(FraudTypology typology) => Events == 0 ? 0 : (double)EventsByTypology[(int)typology] / Events;

    public long Signal(ObservableSignal signal, bool fraud) => Signals[(int)signal, fraud ? 1 : 0];

    internal void Count(ObservableSignal signal, bool fraud) => Signals[(int)signal, fraud ? 1 : 0]++;

    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"merchants {Merchants}, terminals {Terminals}, cards {Cards}");
        sb.AppendLine(c, $"events {Events}, notices {Notices} (issuer responses {IssuerResponses}, fraud reports {FraudReports}, chargebacks {Chargebacks})");
        sb.AppendLine(c, $"fraud events {FraudEvents} ({FraudRate * 100:F3} % of events); genuine events labelled fraud {GenuineEventsLabelledFraud}");
        sb.AppendLine(c, $"{"typology",-24} {"episodes",9} {"events",9} {"% events",9} {"labelled",9} {"declined",9}");
        for (int t = 0; t < TypologyCount; t++)
        {
            long events = EventsByTypology[t];
            sb.AppendLine(c, $"{FraudTypologies.Name((FraudTypology)t),-24} {EpisodesByTypology[t],9} {events,9} {(Events == 0 ? 0 : 100.0 * events / Events),9:F3} {LabelledByTypology[t],9} {DeclinedByTypology[t],9}");
        }
        sb.AppendLine(c, $"{"signal",-28} {"genuine",9} {"fraud",9}  (share of events with the signal that are fraud)");
        foreach (var s in Enum.GetValues<ObservableSignal>())
        {
            long g = Signal(s, false), f = Signal(s, true);
            sb.AppendLine(c, $"{s,-28} {g,9} {f,9}  {(g + f == 0 ? 0 : 100.0 * f / (g + f)),6:F1} %");
        }
        sb.AppendLine(c, $"elapsed {ElapsedSeconds:F2} s ({(ElapsedSeconds > 0 ? Events / ElapsedSeconds : 0):F0} events/s)");
        return sb.ToString();
    }
}
