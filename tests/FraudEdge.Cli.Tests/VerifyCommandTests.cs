using System.Security.Cryptography;
using System.Text.Json;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;
using FraudEdge.Core.Policy;

namespace FraudEdge.Cli.Tests;

/// <summary>`fraudedge verify` as a user runs it: exit 0 intact, 1 broken (with the place), 2 usage.</summary>
public sealed class VerifyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-verify-").FullName;
    private readonly P256PrivateKey _key = NewKey();

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string WriteLog(int records, bool signed = true)
    {
        string audit = Path.Combine(_dir, "audit");
        var model = AuditModelStamp.Create(new AuditHash(1, 2, 3, 4), "fraudedge-slm", "1.0.0", "0123456789abcdef");
        using var log = AuditLog.Open(new AuditLogOptions
        {
            Directory = audit, SegmentBytes = 8192, MaxTotalBytes = 4 * 8192, Durability = AuditDurability.GroupCommit,
            CheckpointSigningKey = signed ? _key : null,
        });
        log.AppendModelLoaded(AuditModelChange.EngineStart, model);
        for (int i = 1; i < records; i++)
        {
            var e = new TransactionEvent { EventId = (ulong)i, TerminalId = TerminalId.Parse("T1"), CardToken = new CardToken(new UInt128(7, (ulong)i)) };
            log.AppendDecision(e, new Decision { EventId = (ulong)i, Verdict = Verdict.Allow, RiskScore = 3, Source = DecisionSource.Model }, model);
        }
        return audit;
    }

    /// <summary>A fresh key from .NET's generator, imported into the managed type the audit log signs with.</summary>
    private static P256PrivateKey NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return P256PrivateKey.ImportPkcs8PrivateKey(key.ExportPkcs8PrivateKey());
    }

    private string PublicKeyFile(P256PrivateKey key, string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, key.PublicKey.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    [Fact]
    public void An_intact_log_exits_0_and_says_what_rotation_dropped()
    {
        string audit = WriteLog(200);
        var (exit, stdout, stderr) = CliProcessTests.Run("verify", audit, "--trusted-key", PublicKeyFile(_key, "checkpoints.pub.pem"));
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("INTACT", stdout, StringComparison.Ordinal);
        Assert.Contains("rotated away (expected", stdout, StringComparison.Ordinal);
        Assert.Contains("signatures verified", stdout, StringComparison.Ordinal);
        Assert.Contains("MB/s", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Expect_head_confirms_an_anchored_record_and_names_records_cut_off_or_a_rewritten_history()
    {
        string audit = WriteLog(60, signed: false);
        AuditRecord last = AuditReader.ReadAll(audit).Last();
        string anchor = $"{last.Number}:{last.Hash}";

        var ok = CliProcessTests.Run("verify", audit, "--expect-head", anchor);
        Assert.True(ok.Exit == 0, ok.Stdout + ok.Stderr);
        Assert.Contains($"anchored head: record {last.Number} present with the expected SHA-256", ok.Stdout, StringComparison.Ordinal);

        var cut = CliProcessTests.Run("verify", audit, "--json", "--expect-head", $"{last.Number + 5}:{last.Hash}");
        Assert.Equal(1, cut.Exit);
        using (var doc = JsonDocument.Parse(cut.Stdout))
        {
            Assert.True(doc.RootElement.GetProperty("intact").GetBoolean()); // the chain itself is fine: only the anchor shows the cut
            Assert.Contains($"records {last.Number + 1}..{last.Number + 5} were cut off",
                doc.RootElement.GetProperty("expected_head").GetProperty("problem").GetString(), StringComparison.Ordinal);
        }

        var rewritten = CliProcessTests.Run("verify", audit, "--expect-head", $"{last.Number}:{new string('0', 64)}");
        Assert.Equal(1, rewritten.Exit);
        Assert.Contains("AnchorMismatch", rewritten.Stdout, StringComparison.Ordinal);
        Assert.Contains("was rewritten after the head was reported", rewritten.Stdout, StringComparison.Ordinal);

        Assert.Equal(2, CliProcessTests.Run("verify", audit, "--expect-head", last.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)).Exit);
        Assert.Equal(2, CliProcessTests.Run("verify", audit, "--expect-head", $"0:{last.Hash}").Exit);
    }

    [Fact]
    public void Platform_and_managed_sha256_give_the_same_report_and_the_same_first_broken_link()
    {
        // The CLI hashes with the platform's SHA-256 where it agrees with the managed one (PlatformSha256); a
        // verdict must never depend on which one ran.
        string audit = WriteLog(200);
        var records = AuditReader.ReadAll(audit).ToList();
        string segment = Path.Combine(audit, $"audit-{records[^5].Segment:D8}.log");
        byte[] bytes = File.ReadAllBytes(segment);
        long at = records[^5].Offset + 8 + 40;  // inside the record's previous-hash field (body bytes 17..48)
        bytes[at] ^= 0x20;
        uint crc = FraudEdge.Core.Storage.Crc32C.Update(0, bytes.AsSpan((int)records[^5].Offset + 8, BitConverter.ToUInt16(bytes, (int)records[^5].Offset)));
        BitConverter.TryWriteBytes(bytes.AsSpan((int)records[^5].Offset + 4), crc);  // a tamperer who fixed the CRC
        File.WriteAllBytes(segment, bytes);

        var platform = CliProcessTests.Run("verify", audit, "--json");
        var managed = CliProcessTests.RunWithEnvironment(new Dictionary<string, string> { ["FRAUDEDGE_SHA256"] = "managed" }, "verify", audit, "--json");
        Assert.Equal(1, platform.Exit);
        Assert.Equal(1, managed.Exit);
        using var p = JsonDocument.Parse(platform.Stdout);
        using var m = JsonDocument.Parse(managed.Stdout);
        Assert.Equal("platform", p.RootElement.GetProperty("sha256_implementation").GetString()); // this machine has OpenSSL
        Assert.StartsWith("managed", m.RootElement.GetProperty("sha256_implementation").GetString(), StringComparison.Ordinal);
        Assert.Equal("BrokenChain", p.RootElement.GetProperty("problem").GetProperty("kind").GetString());
        foreach (string key in new[] { "kind", "segment", "offset", "record" })
            Assert.Equal(p.RootElement.GetProperty("problem").GetProperty(key).ToString(), m.RootElement.GetProperty("problem").GetProperty(key).ToString());
        Assert.Equal(p.RootElement.GetProperty("records").GetInt64(), m.RootElement.GetProperty("records").GetInt64());
    }

    [Fact]
    public void Json_report_names_the_first_broken_link_and_exits_1()
    {
        string audit = WriteLog(200);
        using (var doc = JsonDocument.Parse(CliProcessTests.Run("verify", audit, "--json").Stdout))
        {
            JsonElement ok = doc.RootElement;
            Assert.True(ok.GetProperty("intact").GetBoolean());
            Assert.False(ok.GetProperty("starts_at_genesis").GetBoolean());
            JsonElement startGap = ok.GetProperty("gaps").EnumerateArray().Single(g => g.GetProperty("explains_start").GetBoolean());
            Assert.Equal(startGap.GetProperty("last_record").GetInt64() + 1, ok.GetProperty("first_record").GetInt64());
            Assert.True(ok.GetProperty("last_record").GetInt64() > 200); // 200 records plus checkpoints and gaps
        }
        // Flip one byte inside the second record of the oldest segment.
        var records = AuditReader.ReadAll(audit).ToList();
        AuditRecord victim = records[1];
        string file = Path.Combine(audit, $"audit-{victim.Segment:D8}.log");
        byte[] bytes = File.ReadAllBytes(file);
        bytes[victim.Offset + 70] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        var (exit, stdout, stderr) = CliProcessTests.Run("verify", audit, "--json");
        Assert.True(exit == 1, stdout + stderr);
        using var broken = JsonDocument.Parse(stdout);
        JsonElement problem = broken.RootElement.GetProperty("problem");
        Assert.False(broken.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal("BadCrc", problem.GetProperty("kind").GetString());
        Assert.Equal(Path.GetFileName(file), problem.GetProperty("segment_file").GetString());
        Assert.Equal(victim.Offset, problem.GetProperty("offset").GetInt64());
        Assert.Equal(victim.Number, problem.GetProperty("record").GetUInt64());

        var text = CliProcessTests.Run("verify", audit);
        Assert.Equal(1, text.Exit);
        Assert.Contains($"BROKEN: BadCrc in {Path.GetFileName(file)} at offset {victim.Offset}, record {victim.Number}", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_by_an_untrusted_key_exits_1()
    {
        string audit = WriteLog(120);
        using P256PrivateKey other = NewKey();
        var (exit, stdout, _) = CliProcessTests.Run("verify", audit, "--trusted-key", PublicKeyFile(other, "other.pub.pem"));
        Assert.Equal(1, exit);
        Assert.Contains("BROKEN: BadCheckpointSignature", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, CliProcessTests.Run("verify").Exit);
        Assert.Equal(2, CliProcessTests.Run("verify", Path.Combine(_dir, "no-such-folder")).Exit);
        string audit = WriteLog(5);
        Assert.Equal(2, CliProcessTests.Run("verify", audit, "--no-such-option").Exit);
        Assert.Equal(2, CliProcessTests.Run("verify", audit, "--trusted-key", Path.Combine(_dir, "missing.pem")).Exit);
        var (exit, _, stderr) = CliProcessTests.Run("verify", audit, "extra-argument");
        Assert.Equal(2, exit);
        Assert.Contains("usage: fraudedge verify", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_folder_is_not_an_intact_log()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var (exit, stdout, _) = CliProcessTests.Run("verify", empty);
        Assert.Equal(1, exit);
        Assert.Contains("NoSegments", stdout, StringComparison.Ordinal);
    }
}
