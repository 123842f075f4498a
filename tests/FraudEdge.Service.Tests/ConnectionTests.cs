using System.Diagnostics;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>Several connections at once, the connection limit, the idle timeout and the SO_PEERCRED allow list.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task Four_connections_are_served_at_once_and_a_fifth_is_refused_as_busy()
    {
        await using var service = await ServiceProcess.StartAsync(maxConnections: 4);
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(400).ToArray();
        await service.WaitForNoOtherConnectionsAsync();
        await Task.Delay(100); // the status probe's own close
        var connections = Enumerable.Range(0, 4).Select(_ => new RawConnection(service.SocketPath)).ToArray();
        try
        {
            // All four are open: a fifth is over the profile's max_connections.
            foreach (var c in connections) c.Ping();
            using (var fifth = new RawConnection(service.SocketPath))
            {
                Assert.Equal(ProtocolErrorCode.ServerBusy, fifth.ReadError(0).Code);
                Assert.True(fifth.IsClosedByService());
            }

            // Each connection sends its own quarter of the traffic concurrently; every answer matches its request.
            var work = connections.Select((c, k) => Task.Run(() =>
            {
                for (int i = k; i < events.Length; i += 4)
                {
                    uint id = c.Send(WireMapping.ToWire(events[i].Event));
                    Assert.Equal(events[i].Event.EventId, c.Read<ScoreResponse>(id).EventId);
                }
            })).ToArray();
            await Task.WhenAll(work);

            uint sid = connections[0].Send(new StatusRequest());
            var status = connections[0].Read<StatusResponse>(sid);
            Assert.Equal((ulong)events.Length, status.Decisions);
            Assert.Equal(4UL, status.ConnectionsActive);
            Assert.Equal(1UL, status.ConnectionsRefused);
            Assert.True(status.ConnectionsTotal >= 5);
        }
        finally
        {
            foreach (var c in connections) c.Dispose();
        }

        // Slots are given back when connections close.
        await Task.Delay(200);
        using var again = new RawConnection(service.SocketPath);
        Assert.Equal(1u, again.Ping().ProtocolVersion);
    }

    [Fact]
    public async Task Sixteen_connections_pipelining_at_once_all_get_their_own_answers_in_order()
    {
        // Sixteen lanes of a store, each its own terminal on its own connection (a store-server profile).
        await using var service = await ServiceProcess.StartAsync(maxConnections: 16, maxTerminals: 16);
        await service.WaitForNoOtherConnectionsAsync();
        await Task.Delay(100);
        var events = TestTraffic.OneTerminal.Where(r => r.Kind == EventLogRecordKind.Event).Take(800).Select(r => r.Event).ToArray();
        var work = Enumerable.Range(0, 16).Select(k => Task.Run(() =>
        {
            using var c = new RawConnection(service.SocketPath);
            // Each connection pipelines its share in one write (ids k*1000+i), then reads the answers.
            var mine = events.Where((_, i) => i % 16 == k).ToArray();
            var lane = FraudEdge.Protocol.Messages.Ascii16Text.Parse($"LANE{k:00}");
            var batch = new List<byte>();
            for (int i = 0; i < mine.Length; i++)
            {
                var request = WireMapping.ToWire(mine[i]);
                request.TerminalId = lane;
                batch.AddRange(c.Encode(request, (uint)(k * 1000 + i)));
            }
            c.Send(batch.ToArray());
            for (int i = 0; i < mine.Length; i++) Assert.Equal(mine[i].EventId, c.Read<ScoreResponse>((uint)(k * 1000 + i)).EventId);
            return mine.Length;
        })).ToArray();
        Assert.Equal(events.Length, (await Task.WhenAll(work)).Sum());
        using var probe = new RawConnection(service.SocketPath);
        var status = probe.Read<StatusResponse>(probe.Send(new StatusRequest()));
        Assert.Equal((ulong)events.Length, status.Decisions);
        Assert.Equal(0UL, status.ProtocolErrors);
        Assert.Equal(0UL, status.ConnectionsRefused);
    }

    [Fact]
    public async Task An_idle_connection_is_closed_without_an_error_frame()
    {
        await using var service = await ServiceProcess.StartAsync(idleTimeoutMs: 800);
        using var c = new RawConnection(service.SocketPath);
        c.Ping();
        var clock = Stopwatch.StartNew();
        Assert.Null(c.ReadFrame()); // closed, nothing sent
        Assert.True(clock.ElapsedMilliseconds >= 600, $"closed after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_peer_not_on_the_allow_list_is_refused_and_an_allowed_one_is_served()
    {
        Assert.True(ServiceProcess.IsRoot, "this test runs a peer as uid 65534 and needs root (CI runs as root)");
        await using var service = await ServiceProcess.StartAsync(maxConnections: 4);
        // uid 65534 with gid 0: the socket's mode 0660 (group root) lets it connect, so the refusal seen is the allow list's.
        string refused = PeerAs(65534, service.SocketPath);
        Assert.StartsWith("000000", refused, StringComparison.Ordinal);
        Assert.Equal("017f00000000", refused[8..20]); // version 1, Error, request id 0
        Assert.Contains("0110", refused, StringComparison.Ordinal); // {1: 16 PeerNotAllowed}
        await service.WaitForOutputAsync("not on the allow list");
        Assert.Equal(1u, new RawConnection(service.SocketPath).Ping().ProtocolVersion); // root (own uid) still served

        await using var allowing = await ServiceProcess.StartAsync(dir => ["--allow-uid", "65534"]);
        string served = PeerAs(65534, allowing.SocketPath);
        Assert.Equal("0106", served[8..12]); // version 1, Pong
    }

    /// <summary>Runs a tiny Python peer as <paramref name="uid"/> (gid 0): it sends a Ping and prints the reply as hex.</summary>
    private static string PeerAs(int uid, string socket)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { $"--reuid={uid}", "--regid=0", "--clear-groups", "/usr/bin/python3", "-c",
            "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.settimeout(5)\ns.connect(sys.argv[1])\n" +
            "s.sendall(bytes.fromhex('00000007010500000001' + '80'))\nprint(s.recv(4096).hex())", socket })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"peer failed: {stderr}");
        return stdout.Trim();
    }
}
