namespace FraudEdge.Data.EventLog;

/// <summary>
/// A log that cannot be trusted past a point. Carries the code, the record number (0 = header) and the byte
/// offset of the frame at fault so that an operator can find it with a hex dump.
/// </summary>
public sealed class EventLogException : Exception
{
    public EventLogException(EventLogErrorCode code, long recordNumber, long offset, string detail)
        : base($"event log error {code} ({(int)code}) at record {recordNumber}, offset {offset}: {detail}")
    {
        Code = code;
        RecordNumber = recordNumber;
        Offset = offset;
        Detail = detail;
    }

    public EventLogException() : this(EventLogErrorCode.MalformedRecord, 0, 0, "unspecified")
    {
    }

    public EventLogException(string message) : base(message)
    {
        Detail = message;
    }

    public EventLogException(string message, Exception innerException) : base(message, innerException)
    {
        Detail = message;
    }

    public EventLogErrorCode Code { get; }

    /// <summary>Zero-based record number: 0 is the header, then events and notices in file order.</summary>
    public long RecordNumber { get; }

    /// <summary>Byte offset of the record's frame header from the start of the file.</summary>
    public long Offset { get; }

    public string Detail { get; } = "";
}
