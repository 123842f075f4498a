namespace FraudEdge.Data.EventLog;

public enum EventLogRecordKind : byte
{
    None = 0,
    Event = 1,
    Notice = 2,
}
