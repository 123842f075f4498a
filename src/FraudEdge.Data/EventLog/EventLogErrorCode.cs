namespace FraudEdge.Data.EventLog;

/// <summary>Why an event log could not be read. Values are stable (scripts match on them): append only.</summary>
public enum EventLogErrorCode
{
    /// <summary>The file does not start with the event log preamble.</summary>
    BadMagic = 1,
    /// <summary>The header names another format or a version this reader does not know.</summary>
    UnsupportedVersion = 2,
    /// <summary>The file ends inside a frame header or payload.</summary>
    Truncated = 3,
    /// <summary>A frame declares a payload longer than <see cref="EventLogFormat.MaxPayloadLength"/> (or empty).</summary>
    FrameTooLarge = 4,
    /// <summary>The payload's CRC-32C does not match the frame header.</summary>
    ChecksumMismatch = 5,
    /// <summary>The payload is not the MessagePack array the record layout requires.</summary>
    MalformedRecord = 6,
    /// <summary>A record tag this version does not define.</summary>
    UnknownRecordType = 7,
    /// <summary>An event with impossible values (see <c>EventValidator</c>).</summary>
    InvalidEvent = 8,
    /// <summary>An outcome notice with impossible values.</summary>
    InvalidNotice = 9,
    /// <summary>The first record is not a header, or a header appears later.</summary>
    MissingHeader = 10,
    /// <summary>The file ends at a frame boundary before the end record: a writer that never finished.</summary>
    MissingEndRecord = 11,
    /// <summary>Bytes follow the end record.</summary>
    TrailingData = 12,
    /// <summary>A record's timestamp is earlier than the previous record's.</summary>
    OutOfOrder = 13,
    /// <summary>The end record's counts differ from the records read.</summary>
    CountMismatch = 14,
}
