using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Tests.Bundles;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>docs/audit-log.md is what an auditor's own reader is written from: its tables must be the code's layout.</summary>
public sealed partial class AuditDocsTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudEdge.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    /// <summary>Rows (offset, size, field) of the table under the heading that starts with <paramref name="heading"/>; checks the stated size.</summary>
    private static Dictionary<string, (int Offset, int Size)> Table(string heading, int expectedBytes)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepoRoot(), "docs", "audit-log.md"));
        int at = Array.FindIndex(lines, l => l.StartsWith("### " + heading, StringComparison.Ordinal));
        Assert.True(at >= 0, $"docs/audit-log.md has no section '{heading}'");
        Match stated = BytesInHeading().Match(lines[at]);
        Assert.True(stated.Success, lines[at]);
        Assert.Equal(expectedBytes, int.Parse(stated.Groups[1].Value, CultureInfo.InvariantCulture));
        var rows = new Dictionary<string, (int, int)>();
        int next = 0;
        for (int i = at + 1; i < lines.Length && !lines[i].StartsWith("##", StringComparison.Ordinal); i++)
        {
            Match row = Row().Match(lines[i]);
            if (!row.Success) continue;
            int offset = int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);
            int size = row.Groups[2].Value == "L" ? 0 : int.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(offset == next, $"{heading}: row '{row.Groups[3].Value.Trim()}' at {offset}, the previous row ends at {next}");
            next = offset + size;
            rows[row.Groups[3].Value.Trim()] = (offset, size);
        }
        Assert.Equal(expectedBytes, next);
        return rows;
    }

    [GeneratedRegex(@"\((\d+) bytes")]
    private static partial Regex BytesInHeading();

    [GeneratedRegex(@"^\| (\d+) \| (\d+|L) \| [^|]+ \|([^|]+)\|")]
    private static partial Regex Row();

    [Fact]
    public void Documented_sizes_are_the_codes()
    {
        Table("Segment header", AuditFormat.HeaderLength);
        Table("Record body", AuditFormat.CommonLength);
        Table("Decision payload", AuditFormat.DecisionPayloadLength);
        Table("Outcome payload", AuditFormat.OutcomePayloadLength);
        Table("ModelLoaded payload", AuditFormat.ModelLoadedPayloadLength);
        Table("Checkpoint payload", AuditFormat.CheckpointPayloadLength);
        Table("Gap payload", AuditFormat.GapPayloadLength);
    }

    [Fact]
    public void Documented_offsets_find_the_written_values()
    {
        using var temp = new TempDirectory();
        TransactionEvent evt = AuditSamples.Event(41);
        evt.LastFour = 4242;
        evt.Tvr = (TerminalVerificationResults)0x12_3456_789A;
        Decision decision = AuditSamples.DecisionFor(41) with { Logit = 1.5f, Rejection = new ValidationResult(ValidationErrorCode.InvalidExpiry, "", "") };
        using (var log = AuditLog.Open(AuditSamples.Options(temp.Path)))
        {
            log.AppendDecision(evt, decision, AuditSamples.Model);
            log.AppendOutcome(AuditSamples.Notice(7), ValidationErrorCode.None);
        }
        byte[] file = File.ReadAllBytes(AuditSamples.SegmentPath(temp.Path, 1));
        var header = Table("Segment header", AuditFormat.HeaderLength);
        var body = Table("Record body", AuditFormat.CommonLength);
        var d = Table("Decision payload", AuditFormat.DecisionPayloadLength);
        var o = Table("Outcome payload", AuditFormat.OutcomePayloadLength);
        int Field(Dictionary<string, (int Offset, int Size)> t, string prefix) => t.First(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Value.Offset;

        Assert.Equal("FEAU"u8.ToArray(), file[..4]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(Field(header, "segment number"))));
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(Field(header, "number of the first record"))));

        int record = AuditFormat.HeaderLength;
        int decisionBody = record + 8;
        int payload = decisionBody + AuditFormat.CommonLength;
        Assert.Equal((byte)AuditRecordType.Decision, file[decisionBody + Field(body, "record type")]);
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(decisionBody + Field(body, "record number"))));
        Assert.Equal(evt.EventId, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(payload + Field(d, "event_id"))));
        Assert.Equal("T0001", System.Text.Encoding.ASCII.GetString(file, payload + Field(d, "terminal_id"), 5));
        Assert.Equal(evt.AmountMinor, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(payload + Field(d, "amount_minor"))));
        Assert.Equal(4242, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(payload + Field(d, "last_four"))));
        Assert.Equal(0x12_3456_789Aul, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(payload + Field(d, "tvr"))));
        Assert.Equal(AuditSamples.Model.ManifestSha256, AuditHash.Read(file.AsSpan(payload + Field(d, "SHA-256 of the model bundle"))));
        Assert.Equal("fe-tok-1", System.Text.Encoding.ASCII.GetString(file, payload + Field(d, "tokenizer version (") , 8));
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.5f), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(payload + Field(d, "logit"))));
        Assert.Equal((ushort)ValidationErrorCode.InvalidExpiry, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(payload + Field(d, "validation code"))));

        int outcomeBody = decisionBody + AuditFormat.CommonLength + AuditFormat.DecisionPayloadLength + 8;
        int outcome = outcomeBody + AuditFormat.CommonLength;
        Assert.Equal((byte)AuditRecordType.Outcome, file[outcomeBody]);
        Assert.Equal("05"u8.ToArray(), file.AsSpan(outcome + Field(o, "ISO 8583 DE 39"), 2).ToArray());
        Assert.Equal(7ul, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(outcome + Field(o, "event_id"))));
    }

    [Fact]
    public void Crc32c_check_value_in_the_docs_holds()
    {
        Assert.Equal(0xE3069283u, Storage.Crc32C.Update(0, "123456789"u8));
    }

    /// <summary>
    /// The Python reader printed in docs/audit-log.md ("Reading it yourself") is what an auditor starts from: run it
    /// over a live log (newest segment preallocated, older ones closed and trimmed) and over the same log closed.
    /// </summary>
    [Fact]
    public void The_documented_python_reader_reads_every_record_of_a_live_and_of_a_closed_log()
    {
        string doc = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "audit-log.md"));
        int section = doc.IndexOf("## Reading it yourself", StringComparison.Ordinal);
        int start = doc.IndexOf("```python\n", section, StringComparison.Ordinal) + "```python\n".Length;
        string reader = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
        using var temp = new TempDirectory();
        string script = Path.Combine(temp.Path, "reader.py");
        File.WriteAllText(script, reader + "\nimport sys\nprint(sum(1 for _ in records(sys.argv[1])))\n");
        string dir = Path.Combine(temp.Path, "audit");
        var options = AuditSamples.Options(dir, segmentBytes: 8192, maxTotalBytes: 1L << 20);
        using (var log = AuditLog.Open(options))
        {
            AuditSamples.Append(log, 0, 70); // several segments; the newest is open
            Assert.True(log.CurrentSegment > 2);
            long newest = new FileInfo(AuditSamples.SegmentPath(dir, log.CurrentSegment)).Length;
            Assert.Equal(options.SegmentBytes, newest); // preallocated: zeros follow the records
            Assert.Equal(log.LastRecordNumber.ToString(CultureInfo.InvariantCulture), RunPython(script, dir));
        }
        Assert.Equal(AuditSamples.ReadAll(dir).Count.ToString(CultureInfo.InvariantCulture), RunPython(script, dir));
    }

    private static string RunPython(string script, string argument)
    {
        var info = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }
}
