namespace FraudEdge.Data.EventLog;

/// <summary>Constants of the event log file format; docs/event-log.md is the specification.</summary>
public static class EventLogFormat
{
    /// <summary>Format name carried in the header record.</summary>
    public const string Name = "fe-eventlog";

    /// <summary>Version of the record layouts. Readers accept longer arrays (fields appended later) of the same version.</summary>
    public const int Version = 1;

    /// <summary>
    /// File preamble. Like PNG's signature it ends in CR LF SUB LF, so a file mangled by a text-mode transfer
    /// is refused at byte 0 instead of failing somewhere in the middle.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => "FELOG\r\n\u001a\n"u8;

    public const int MagicLength = 9;

    /// <summary>Frame header: u32 big-endian payload length, u32 big-endian CRC-32C of the payload.</summary>
    public const int FrameHeaderLength = 8;

    /// <summary>
    /// Largest payload accepted. Records are ~100-200 bytes; the cap is checked before a buffer is sized, so a
    /// corrupt length can never make a reader allocate gigabytes.
    /// </summary>
    public const int MaxPayloadLength = 64 * 1024;

    /// <summary>Longest created-by / source text in the header (UTF-8 bytes).</summary>
    public const int MaxHeaderTextLength = 4096;

    // Record type tags: element 0 of every record array.
    internal const int HeaderTag = 1;
    internal const int EventTag = 2;
    internal const int NoticeTag = 3;
    internal const int EndTag = 4;

    // Minimum element counts (tag included) of version-1 records.
    internal const int HeaderFields = 7;
    internal const int EventFields = 30;
    internal const int NoticeFields = 7;
    internal const int EndFields = 3;
}
