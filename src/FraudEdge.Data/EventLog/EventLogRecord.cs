using FraudEdge.Core.Events;

namespace FraudEdge.Data.EventLog;

/// <summary>One record of the log body: an event with its ground truth, or an outcome notice.</summary>
public struct EventLogRecord
{
    public EventLogRecordKind Kind;
    /// <summary>Valid when <see cref="Kind"/> is <see cref="EventLogRecordKind.Event"/>.</summary>
    public TransactionEvent Event;
    /// <summary>Simulator ground truth for <see cref="Event"/>; <see cref="FraudTypology.Unknown"/> for imports.</summary>
    public FraudTypology Typology;
    /// <summary>Valid when <see cref="Kind"/> is <see cref="EventLogRecordKind.Notice"/>.</summary>
    public OutcomeNotice Notice;

    public readonly long TimestampUtcMs => Kind == EventLogRecordKind.Event ? Event.TimestampUtcMs : Notice.TimestampUtcMs;
}
