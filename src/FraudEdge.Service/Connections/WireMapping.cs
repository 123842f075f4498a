using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Protocol.Messages;
using WireOutcome = FraudEdge.Protocol.Messages.OutcomeNotice;

namespace FraudEdge.Service.Connections;

/// <summary>
/// Wire messages ↔ the decision core's types. Field for field, no defaults invented: the wire decoder has
/// applied protocol.md's defaults, the core's EventValidator judges the values. Public so that tools which
/// replay core events over IPC (the demo, tests, benchmarks) encode exactly what the service decodes.
/// </summary>
public static class WireMapping
{
    public static ScoreRequest ToWire(in TransactionEvent e) => new()
    {
        EventId = e.EventId,
        TerminalId = new Ascii16Text(e.TerminalId.Packed),
        MerchantId = new Ascii16Text(e.MerchantId.Packed),
        Lane = e.Lane,
        OperatorId = e.OperatorId,
        TimestampMs = e.TimestampUtcMs,
        LocalOffsetMinutes = e.LocalOffsetMinutes,
        Kind = (byte)e.Kind,
        AmountMinor = e.AmountMinor,
        CashbackMinor = e.CashbackMinor,
        Currency = e.CurrencyCode,
        MerchantCategoryCode = e.MerchantCategoryCode,
        TerminalCountry = e.TerminalCountry,
        CardToken = e.CardToken.Value,
        Bin = e.Bin.Digits,
        LastFour = e.LastFour,
        Scheme = (byte)e.Scheme,
        CardType = (byte)e.CardType,
        IssuerCountry = e.IssuerCountry,
        ExpiryYyMm = e.ExpiryYyMm,
        ServiceCode = e.ServiceCode,
        EntryMode = (byte)e.EntryMode,
        Cvm = (byte)e.Cvm,
        Atc = e.Atc,
        HasAtc = e.HasAtc,
        Tvr = (ulong)e.Tvr,
        Cryptogram = (byte)e.Cryptogram,
        Attended = e.Attended,
    };

    public static WireOutcome ToWire(in Core.Events.OutcomeNotice n) => new()
    {
        EventId = n.EventId,
        TerminalId = new Ascii16Text(n.TerminalId.Packed),
        CardToken = n.CardToken.Value,
        TimestampMs = n.TimestampUtcMs,
        Kind = (byte)n.Kind,
        ResponseCode = n.ResponseCode,
    };

    public static void ToEvent(in ScoreRequest r, out TransactionEvent e)
    {
        e = new TransactionEvent
        {
            EventId = r.EventId,
            TerminalId = new TerminalId(r.TerminalId.Packed),
            MerchantId = new MerchantId(r.MerchantId.Packed),
            Lane = r.Lane,
            OperatorId = r.OperatorId,
            TimestampUtcMs = r.TimestampMs,
            LocalOffsetMinutes = r.LocalOffsetMinutes,
            Kind = (TransactionKind)r.Kind,
            AmountMinor = r.AmountMinor,
            CashbackMinor = r.CashbackMinor,
            CurrencyCode = r.Currency,
            MerchantCategoryCode = r.MerchantCategoryCode,
            TerminalCountry = r.TerminalCountry,
            CardToken = new CardToken(r.CardToken),
            Bin = new Bin(r.Bin, DigitCount(r.Bin)),
            LastFour = r.LastFour,
            Scheme = (CardScheme)r.Scheme,
            CardType = (CardType)r.CardType,
            IssuerCountry = r.IssuerCountry,
            ExpiryYyMm = r.ExpiryYyMm,
            ServiceCode = r.ServiceCode,
            EntryMode = (EntryMode)r.EntryMode,
            Cvm = (CardholderVerification)r.Cvm,
            Atc = r.Atc,
            HasAtc = r.HasAtc,
            Tvr = (TerminalVerificationResults)r.Tvr,
            Cryptogram = (CryptogramType)r.Cryptogram,
            Attended = r.Attended,
        };
    }

    public static void ToNotice(in WireOutcome w, out Core.Events.OutcomeNotice n)
    {
        n = new Core.Events.OutcomeNotice
        {
            EventId = w.EventId,
            TerminalId = new TerminalId(w.TerminalId.Packed),
            CardToken = new CardToken(w.CardToken),
            TimestampUtcMs = w.TimestampMs,
            Kind = (OutcomeKind)w.Kind,
            ResponseCode = w.ResponseCode,
        };
    }

    public static ScoreResponse ToResponse(in Decision d, Ascii16Text modelVersion) => new()
    {
        EventId = d.EventId,
        Verdict = (byte)d.Verdict,
        RiskScore = d.RiskScore,
        Probability = d.Probability,
        Reasons = (ulong)d.Reasons,
        Source = (byte)d.Source,
        ElapsedMicroseconds = (uint)Math.Max(0, d.ElapsedMicroseconds),
        ModelVersion = d.Source == DecisionSource.Model ? modelVersion : default,
    };

    /// <summary>A BIN's length is its digit count: the wire sends a number, and a BIN never starts with 0.</summary>
    private static byte DigitCount(uint value)
    {
        byte n = 1;
        while (value >= 10) { value /= 10; n++; }
        return n;
    }
}
