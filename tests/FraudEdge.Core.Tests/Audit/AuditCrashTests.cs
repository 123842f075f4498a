using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Tests.Bundles;
using Xunit.Abstractions;

namespace FraudEdge.Core.Tests.Audit;

/// <summary>
/// Crashes for real: a child process (tests/FraudEdge.Audit.CrashChild) appends as fast as it can, printing each
/// acknowledged record number, and is killed with SIGKILL at a random moment, fifteen times in a row on the same
/// folder, with small segments so rotations, signed checkpoints and deletions happen under the kills too. After each
/// kill: verify sees an intact log or a torn tail at the very end (nothing else); opening reports exactly that
/// torn tail and cuts it; verify then passes; and every record the child acknowledged is there (or was rotated away
/// under a Gap record). Odd rounds use the writer's split-write test hook (half a record, fsync, 1 ms, the rest) so
/// kills often land inside a record — a single pwrite is rarely torn by SIGKILL — and the torn-tail path is
/// exercised by real kills, not only by cut files.
/// </summary>
[Collection(AuditCrashCollection.Name)]
public sealed class AuditCrashTests(ITestOutputHelper output)
{
    private const int Rounds = 15;
    private const int MaxRounds = 45;
    private const long SegmentBytes = 64 * 1024;
    private const long MaxTotalBytes = 512 * 1024;

    [Fact]
    public void Killed_at_random_moments_loses_no_acknowledged_record_and_reports_torn_tails()
    {
        string child = Path.Combine(AppContext.BaseDirectory, "FraudEdge.Audit.CrashChild.dll");
        Assert.True(File.Exists(child), child);
        using var temp = new TempDirectory();
        string dir = Path.Combine(temp.Path, "audit");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string keyPath = Path.Combine(temp.Path, "checkpoint-signing.TEST.key.pem");
        File.WriteAllText(keyPath, key.ExportECPrivateKeyPem());
        using TrustedKeys trusted = TrustedKeys.FromPem(key.ExportSubjectPublicKeyInfoPem());
        var random = new Random(20_261_128);
        int tornRounds = 0;
        long acknowledgedTotal = 0;

        // At least Rounds kills; then, while no kill has yet landed inside a record (a loaded machine can make
        // every random moment fall between records), keep going with split-write rounds, up to MaxRounds.
        int round = 0;
        for (; round < Rounds || (tornRounds == 0 && round < MaxRounds); round++)
        {
            bool split = round % 2 == 1 || round >= Rounds;
            string durability = round % 4 == 2 && round < Rounds ? "group-commit" : "fsync-each-record";
            int delayMs = random.Next(50, 401);
            List<ulong> acks = RunAndKill(child, dir, durability, split, keyPath, delayMs, out string stderr);
            string context = $"round {round} ({durability}{(split ? ", split writes" : "")}, killed after {delayMs} ms, {acks.Count} acks; child: {stderr.Trim()})";
            Assert.True(acks.Count > 0, context);
            acknowledgedTotal += acks.Count;

            AuditVerifyReport before = AuditVerifier.Verify(dir, trusted);
            Assert.True(before.Intact || (before.Problem!.Kind == AuditProblemKind.TornTail && before.Problem.Segment == before.LastSegment),
                $"{context}: after the kill verify found {before.Problem}");

            using (var log = AuditLog.Open(new AuditLogOptions
            {
                Directory = dir, SegmentBytes = SegmentBytes, MaxTotalBytes = MaxTotalBytes, CheckpointSigningKeyPath = keyPath,
            }))
            {
                Assert.True(log.Recovery.TornTail == !before.Intact, $"{context}: verify said {before.Problem}, recovery said {log.Recovery}");
                if (log.Recovery.TornTail)
                {
                    tornRounds++;
                    Assert.Equal(before.Problem!.SegmentFile, log.Recovery.TornTailProblem!.SegmentFile);
                    Assert.Equal(before.Problem.Offset, log.Recovery.TornTailProblem.Offset);
                }
            }

            AuditVerifyReport after = AuditVerifier.Verify(dir, trusted);
            Assert.True(after.Intact, $"{context}: after recovery verify found {after.Problem}");
            var present = new HashSet<ulong>();
            foreach (AuditRecord r in AuditReader.ReadAll(dir)) present.Add(r.Number);
            foreach (ulong n in acks)
                Assert.True(present.Contains(n) || n < after.FirstRecord, $"{context}: acknowledged record {n} is gone (log holds {after.FirstRecord}..{after.LastRecord})");
            Assert.True(after.LastRecord >= acks[^1], context);
            output.WriteLine($"{context}: torn tail {(!before.Intact ? before.Problem!.ToString() : "none")}; log now segments {after.FirstSegment}..{after.LastSegment}, records {after.FirstRecord}..{after.LastRecord}, {after.SignedCheckpoints} signed checkpoints, {after.Gaps.Count} gap record(s)");
        }
        output.WriteLine($"{tornRounds} of {round} kills left a torn tail; {acknowledgedTotal} records acknowledged in all");

        Assert.True(tornRounds >= 1, $"no kill in {round} rounds landed inside a record ({acknowledgedTotal} acknowledged records)");
    }

    private static List<ulong> RunAndKill(string child, string dir, string durability, bool split, string keyPath, int delayMs, out string stderr)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[child, "append", dir, "--durability", durability, "--segment-bytes", $"{SegmentBytes}",
                     "--max-total-bytes", $"{MaxTotalBytes}", "--sign-key", keyPath])
            psi.ArgumentList.Add(a);
        if (split) psi.ArgumentList.Add("--split");
        var acks = new List<ulong>();
        var err = new StringBuilder();
        using var firstAck = new ManualResetEventSlim();
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("ack ", StringComparison.Ordinal) && ulong.TryParse(line.AsSpan(4), out ulong n))
            {
                lock (acks) acks.Add(n);
                firstAck.Set();
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (err) err.AppendLine(e.Data);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            if (!firstAck.Wait(TimeSpan.FromSeconds(30)))
            {
                lock (err) stderr = err.ToString();
                Assert.Fail($"the child acknowledged nothing: {stderr}");
            }
            Thread.Sleep(delayMs);
            p.Kill(); // SIGKILL on Linux: no finally blocks, no flush, no Dispose in the child
            p.WaitForExit(); // and the end of its redirected output
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
        Assert.Equal(128 + 9, p.ExitCode); // died of signal 9
        lock (err) stderr = err.ToString();
        lock (acks) return [.. acks];
    }
}
