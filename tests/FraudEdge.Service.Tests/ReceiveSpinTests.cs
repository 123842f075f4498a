using System.Diagnostics;
using System.Net.Sockets;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>The receive poll: when it applies, that it ends when bytes arrive or the window runs out, and that it is off at 0.</summary>
public sealed class ReceiveSpinTests
{
    [Fact]
    public void Back_to_back_means_within_the_window_after_the_answer()
    {
        var spin = new ReceiveSpin(200);
        if (Environment.ProcessorCount == 1)
        {
            Assert.Equal(0, spin.Microseconds); // a single CPU never polls
            return;
        }
        Assert.Equal(200, spin.Microseconds);
        Assert.True(spin.IsBackToBack(Stopwatch.Frequency * 150 / 1_000_000));
        Assert.True(spin.IsBackToBack(Stopwatch.Frequency * 200 / 1_000_000));
        Assert.False(spin.IsBackToBack(Stopwatch.Frequency * 201 / 1_000_000));
        Assert.False(spin.IsBackToBack(Stopwatch.Frequency)); // a request a second later: sparse traffic
    }

    [Fact]
    public void Zero_turns_it_off()
    {
        var spin = new ReceiveSpin(0);
        Assert.Equal(0, spin.Microseconds);
        Assert.False(spin.IsBackToBack(0));
        Assert.False(spin.IsBackToBack(1));
    }

    [Fact]
    public void The_poll_returns_when_bytes_are_waiting_and_when_the_window_runs_out()
    {
        var (a, b) = Pair();
        using (a)
        using (b)
        {
            // A window of 10 s: only the waiting byte can end the poll (a hang would fail the test run).
            var spin = new ReceiveSpin(10_000_000);
            b.Send([42]);
            spin.Poll(a);
            Assert.Equal(1, a.Available);

            // Nothing waiting: the poll ends by itself after its (short) window.
            Assert.Equal(1, a.Receive(new byte[1]));
            new ReceiveSpin(1_000).Poll(a);
            Assert.Equal(0, a.Available);
        }
    }

    private static (Socket, Socket) Pair()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fe-spin-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        Socket server = listener.Accept();
        File.Delete(path);
        return (server, client);
    }
}
