using System.Text.Json;
using FraudEdge.Core.Audit;

namespace FraudEdge.Cli.Audit;

/// <summary>JSON pieces the audit commands (verify, replay, diff, explain) share, so their outputs name things alike.</summary>
internal static class AuditJson
{
    /// <summary>The first broken link of a log as the "problem" object.</summary>
    public static void WriteProblem(Utf8JsonWriter w, AuditProblem p, bool withSegmentNumber = false)
    {
        w.WriteStartObject("problem");
        w.WriteString("kind", p.Kind.ToString());
        w.WriteString("segment_file", p.SegmentFile);
        if (withSegmentNumber) w.WriteNumber("segment", p.Segment);
        w.WriteNumber("offset", p.Offset);
        w.WriteNumber("record", p.RecordNumber);
        w.WriteString("message", p.Message);
        w.WriteEndObject();
    }
}
