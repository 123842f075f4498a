using FraudEdge.Core.Audit;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Policy;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>
/// Terminal images ship no libssl/libcrypto, and .NET's System.Security.Cryptography calls OpenSSL on Linux (on
/// first use, aborting the process when it is missing). fraudedged must therefore never load it: this runs every
/// cryptographic path of the service (bundle signature and file hashes, scoring, the audit hash chain, a signed
/// checkpoint) and then reads the process's memory map. The same run with libssl and libcrypto really absent is
/// done by hand with the C client (docs/operations.md, "No OpenSSL"): the test host cannot do it, it aborts in
/// xunit's test discovery when libssl is hidden.
/// </summary>
public sealed class NoOpenSslTests
{
    /// <summary>Shared objects (by file-name prefix) through which .NET reaches OpenSSL.</summary>
    private static readonly string[] OpenSslLibraries = ["libssl", "libcrypto", "libSystem.Security.Cryptography.Native.OpenSsl"];

    [Fact]
    public async Task Bundle_verification_scoring_audit_chain_and_signed_checkpoints_never_load_openssl()
    {
        string repo = ServiceProcess.RepoRoot();
        string keys = Path.Combine(repo, "keys", "test");
        // The committed TEST key doubles as the audit key here: a PKCS#8 "PRIVATE KEY" PEM, as `openssl genpkey` writes.
        await using var service = await ServiceProcess.StartAsync(_ =>
        [
            "--model", Path.Combine(repo, "models", "fraudedge-slm"),
            "--trusted-key", Path.Combine(keys, "fraudedge-test-signing.pub.pem"),
            "--audit-signing-key", Path.Combine(keys, "fraudedge-test-signing.key.pem"),
        ], auditSegmentBytes: 64 * 1024); // the profile minimum: ~220 decisions per segment, so a checkpoint is signed

        using var c = new RawConnection(service.SocketPath);
        var status = c.Read<StatusResponse>(c.Send(new StatusRequest()));
        Assert.Equal("fraudedge-slm", status.ModelName); // the folder's signature and file hashes were verified in-process
        Assert.Null(status.ModelRefusal);

        int modelDecisions = 0;
        foreach (EventLogRecord r in TestTraffic.OneTerminal.Take(400))
        {
            if (r.Kind == EventLogRecordKind.Notice)
            {
                c.Read<Ack>(c.Send(WireMapping.ToWire(r.Notice)));
                continue;
            }
            if (c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(r.Event))).Source == (byte)DecisionSource.Model) modelDecisions++;
        }
        Assert.True(modelDecisions > 200, $"{modelDecisions} decisions by the model");
        await service.WaitForOutputAsync("audit-00000001.log closed"); // rotation wrote a checkpoint...
        await service.WaitForOutputAsync("checkpoint f364180178a3b718"); // ...signed with the audit key

        string[] maps = File.ReadAllLines($"/proc/{service.Pid}/maps");
        var mapped = maps.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].StartsWith('/'))
            .Select(fields => Path.GetFileName(fields[5])).ToHashSet(StringComparer.Ordinal);
        // The check can see native libraries: the runtime's own and ONNX Runtime's are there.
        Assert.Contains("libSystem.Native.so", mapped);
        Assert.Contains("libonnxruntime.so", mapped);
        string[] openSsl = mapped.Where(name => Array.Exists(OpenSslLibraries, prefix => name.StartsWith(prefix, StringComparison.Ordinal))).ToArray();
        Assert.True(openSsl.Length == 0, "fraudedged mapped " + string.Join(", ", openSsl));
        // Stronger: the managed System.Security.Cryptography assembly is not even loaded, so no later path (shutdown
        // included) can reach OpenSSL through it.
        Assert.DoesNotContain("System.Security.Cryptography.dll", mapped);

        Assert.Equal(0, await service.StopAsync());
        using TrustedKeys trusted = TrustedKeys.FromPemFiles([Path.Combine(keys, "fraudedge-test-signing.pub.pem")]);
        AuditVerifyReport report = AuditVerifier.Verify(Path.Combine(service.Directory, "audit"), trusted);
        Assert.True(report.Intact, report.Problem?.ToString());
        Assert.True(report.SignedCheckpoints >= 1, $"{report.SignedCheckpoints} signed checkpoints");
        Assert.Equal(report.Checkpoints, report.SignedCheckpoints);
    }
}
