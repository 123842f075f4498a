using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>
/// ONNX Runtime's Linux build starts a telemetry thread that writes a device id under ~/.cache unless
/// ORT_DISABLE_TELEMETRY is set in the native environment; fraudedged sets it when it re-executes itself
/// (SECURITY.md "Nothing leaves the device"). Checked with a HOME of the test's own.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Scoring_through_the_model_writes_nothing_under_HOME()
    {
        string home = Directory.CreateTempSubdirectory("fraudedged-home-").FullName;
        try
        {
            await using (var service = await ServiceProcess.StartAsync(environment: new Dictionary<string, string> { ["HOME"] = home }))
            {
                using var c = new RawConnection(service.SocketPath);
                foreach (var record in TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(5))
                {
                    ScoreResponse response = c.Read<ScoreResponse>(c.Send(WireMapping.ToWire(record.Event)));
                    Assert.Equal(1, response.Source); // 1 = the model decided: ONNX Runtime is loaded and ran
                }
                string environ = File.ReadAllText($"/proc/{service.Pid}/environ").Replace('\0', '\n');
                Assert.Contains("ORT_DISABLE_TELEMETRY=1", environ, StringComparison.Ordinal);
                await Task.Delay(1000); // the telemetry thread, when on, writes within a second of the session
            }
            Assert.Empty(Directory.GetFileSystemEntries(home, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
