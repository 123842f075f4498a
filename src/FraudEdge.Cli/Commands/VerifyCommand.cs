using FraudEdge.Cli.Audit;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;

namespace FraudEdge.Cli.Commands;

/// <summary>
/// `fraudedge verify AUDIT_DIR [--trusted-key PEM ...] [--json]`: checks every CRC, the hash chain across segments,
/// the checkpoints (and their signatures, given keys) and the log's start; reports the first broken link
/// precisely. Exit 0 intact, 1 a problem was found, 2 usage error (docs/audit-log.md, "Verify").
/// </summary>
internal static class VerifyCommand
{
    public const int Intact = 0;
    public const int ProblemFound = 1;
    public const int UsageError = 2;

    public static Command Create()
    {
        // Lenient arity and unmatched tokens handled here: a usage error must exit 2, which the parser's own
        // error path (exit 1) would blur with "the log is broken".
        var directory = new Argument<string?>("AUDIT_DIR") { Description = "the audit folder (audit-NNNNNNNN.log segments)", Arity = ArgumentArity.ZeroOrOne };
        var keys = new Option<string[]>("--trusted-key")
        {
            Description = "PEM public key (P-256) checkpoints must be signed with; repeatable. Without it signatures are counted, not checked",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var expectHead = new Option<string?>("--expect-head")
        {
            Description = "RECORD:SHA256 the device reported as its audit head (Status keys 31/32): the log must still hold that record with that hash, or records were cut off or rewritten",
        };
        var command = new Command("verify", "verify an audit log: CRCs, hash chain, checkpoints, signatures; exit 0 intact, 1 broken, 2 usage")
        {
            directory, keys, json, expectHead,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            if (parse.UnmatchedTokens.Count > 0)
                return Usage($"unexpected argument '{parse.UnmatchedTokens[0]}'");
            string? dir = parse.GetValue(directory);
            if (string.IsNullOrEmpty(dir)) return Usage("AUDIT_DIR is required");
            if (!Directory.Exists(dir)) return Usage($"audit directory '{dir}' does not exist");
            string[] keyFiles = parse.GetValue(keys) ?? [];
            if (parse.GetResult(keys) is not null && keyFiles.Length == 0) return Usage("--trusted-key needs a PEM file");

            AuditAnchor? anchor = null;
            if (parse.GetValue(expectHead) is string headText)
            {
                if (!AuditAnchor.TryParse(headText, out AuditAnchor parsed)) return Usage($"--expect-head is RECORD:SHA256 (a record number from 1, a colon, 64 hex digits), not '{headText}'");
                anchor = parsed;
            }

            TrustedKeys? trusted = null;
            try
            {
                if (keyFiles.Length > 0) trusted = TrustedKeys.FromPemFiles(keyFiles);
            }
            catch (BundleException e)
            {
                return Usage(e.Message);
            }
            using (trusted)
            {
                AuditVerifyReport report = AuditVerifier.Verify(dir, trusted);
                string? anchorProblem = anchor is { } a && report.Intact ? a.Check(dir, report) : null;
                if (parse.GetValue(json)) WriteJson(report, anchor, anchorProblem);
                else WriteText(report, anchor, anchorProblem);
                return report.Intact && anchorProblem is null ? Intact : ProblemFound;
            }
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"fraudedge verify: {message}");
        Console.Error.WriteLine("usage: fraudedge verify AUDIT_DIR [--trusted-key PEM ...] [--json]");
        return UsageError;
    }

    private static void WriteText(AuditVerifyReport r, AuditAnchor? anchor, string? anchorProblem)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"audit log {r.Directory}");
        if (r.Problem is { } p)
        {
            Console.WriteLine(string.Create(inv, $"BROKEN: {p.Kind} in {p.SegmentFile} at offset {p.Offset}, record {p.RecordNumber}"));
            Console.WriteLine($"  {p.Message}");
            if (r.Records > 0)
                Console.WriteLine(string.Create(inv, $"  before it: {r.Records} records intact ({r.FirstRecord}..{r.LastRecord})"));
        }
        else
        {
            Console.WriteLine(string.Create(inv,
                $"INTACT: {r.Segments} segment(s) ({SegmentName(r.FirstSegment)} .. {SegmentName(r.LastSegment)}), records {r.FirstRecord}..{r.LastRecord} ({r.Records}: {r.Decisions} decisions, {r.Outcomes} outcomes, {r.ModelLoads} model loads)"));
            if (r.StartsAtGenesis) Console.WriteLine("  start: the first record ever (segment 1, record 1)");
            else if (r.StartGap is { } g)
                Console.WriteLine(string.Create(inv,
                    $"  start: records 1..{g.LastRecord} (segments 1..{g.LastSegment}) rotated away (expected: a Gap record says the last rotation deleted records {g.FirstRecord}..{g.LastRecord})"));
            if (r.InterruptedDeletion) Console.WriteLine("  note: a rotation's deletion was interrupted; its segments are still here and the next open deletes them");
            string signatures = r.Checkpoints == 0 ? "" : r.SignedCheckpoints == 0 ? ", unsigned"
                : r.SignaturesChecked ? $", signed by {string.Join(", ", r.CheckpointKeyIds)}, signatures verified"
                : $", {r.SignedCheckpoints} signed by {string.Join(", ", r.CheckpointKeyIds)}, NOT verified (pass --trusted-key)";
            Console.WriteLine(string.Create(inv, $"  checkpoints: {r.Checkpoints}{signatures}"));
            if (r.RecordsAfterLastCheckpoint > 0)
                Console.WriteLine(string.Create(inv, $"  open segment: {r.RecordsAfterLastCheckpoint} record(s) after the last checkpoint, not yet covered by one"));
        }
        if (anchor is { } a && r.Intact)
        {
            if (anchorProblem is null) Console.WriteLine(string.Create(inv, $"  anchored head: record {a.Record} present with the expected SHA-256"));
            else Console.WriteLine($"BROKEN: AnchorMismatch: {anchorProblem}");
        }
        Console.WriteLine(string.Create(inv, $"  read {r.Bytes:N0} bytes in {r.Elapsed.TotalMilliseconds:F1} ms: {r.MegabytesPerSecond:F1} MB/s (SHA-256: {PlatformSha256.Implementation})"));
    }

    private static string SegmentName(uint segment) => $"audit-{segment.ToString("D8", CultureInfo.InvariantCulture)}.log";

    private static void WriteJson(AuditVerifyReport r, AuditAnchor? anchor, string? anchorProblem)
    {
        using var stream = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", r.Directory);
            w.WriteBoolean("intact", r.Intact);
            w.WriteString("sha256_implementation", PlatformSha256.Implementation);
            if (anchor is { } a)
            {
                w.WriteStartObject("expected_head");
                w.WriteNumber("record", a.Record);
                w.WriteString("sha256", a.Hash.ToString());
                w.WriteBoolean("checked", r.Intact);
                if (anchorProblem is null) w.WriteNull("problem");
                else w.WriteString("problem", anchorProblem);
                w.WriteEndObject();
            }
            if (r.Problem is { } p)
            {
                AuditJson.WriteProblem(w, p, withSegmentNumber: true);
            }
            else
            {
                w.WriteNull("problem");
            }
            w.WriteNumber("segments", r.Segments);
            w.WriteNumber("first_segment", r.FirstSegment);
            w.WriteNumber("last_segment", r.LastSegment);
            w.WriteNumber("records", r.Records);
            w.WriteNumber("first_record", r.FirstRecord);
            w.WriteNumber("last_record", r.LastRecord);
            w.WriteNumber("decisions", r.Decisions);
            w.WriteNumber("outcomes", r.Outcomes);
            w.WriteNumber("model_loads", r.ModelLoads);
            w.WriteNumber("checkpoints", r.Checkpoints);
            w.WriteNumber("signed_checkpoints", r.SignedCheckpoints);
            w.WriteBoolean("signatures_checked", r.SignaturesChecked);
            w.WriteStartArray("checkpoint_key_ids");
            foreach (string id in r.CheckpointKeyIds) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteNumber("records_after_last_checkpoint", r.RecordsAfterLastCheckpoint);
            w.WriteBoolean("starts_at_genesis", r.StartsAtGenesis);
            w.WriteStartArray("gaps");
            foreach (AuditGap g in r.Gaps)
            {
                w.WriteStartObject();
                w.WriteNumber("first_segment", g.FirstSegment);
                w.WriteNumber("last_segment", g.LastSegment);
                w.WriteNumber("first_record", g.FirstRecord);
                w.WriteNumber("last_record", g.LastRecord);
                w.WriteString("last_hash", g.LastHash.ToString());
                w.WriteBoolean("explains_start", r.StartGap == g);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("interrupted_deletion", r.InterruptedDeletion);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteNumber("elapsed_ms", Math.Round(r.Elapsed.TotalMilliseconds, 3));
            w.WriteNumber("mb_per_s", Math.Round(r.MegabytesPerSecond, 1));
            w.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
