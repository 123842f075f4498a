using System.Diagnostics.Metrics;
using FraudEdge.Core.Policy;
using FraudEdge.Protocol.Framing;
using FraudEdge.Service.Diagnostics;

namespace FraudEdge.Service.Tests;

/// <summary>The meter "FraudEdge.Service" publishes what operators alert on, with stable names and tags.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void Decisions_errors_and_connections_are_published_with_their_tags()
    {
        using var metrics = new ServiceMetrics();
        var seen = new List<(string Instrument, long Value, string? Tag)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == null || instrument.Meter.Name != ServiceMetrics.MeterName) return;
            l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (seen) seen.Add((i.Name, v, tags.Length > 0 ? tags[0].Value as string : null)); });
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => { lock (seen) seen.Add((i.Name, v, null)); });
        listener.Start();

        metrics.ConnectionOpened();
        metrics.Decision(Verdict.Deny, 140);
        metrics.Decision(Verdict.Allow, 90);
        metrics.Error(ProtocolErrorCode.InvalidEvent);
        metrics.ConnectionRefused();
        metrics.ConnectionClosed();

        Assert.Contains(("fraudedge.decisions", 1L, "deny"), seen);
        Assert.Contains(("fraudedge.decisions", 1L, "allow"), seen);
        Assert.Contains(("fraudedge.decision.duration", 140L, null), seen);
        Assert.Contains(("fraudedge.protocol.errors", 1L, "InvalidEvent"), seen);
        Assert.Contains(("fraudedge.connections.active", 1L, null), seen);
        Assert.Contains(("fraudedge.connections.active", -1L, null), seen);
        Assert.Contains(("fraudedge.connections.refused", 1L, null), seen);
        Assert.Equal(0, metrics.ConnectionsActive);
        Assert.Equal(1, metrics.ConnectionsTotal);
        Assert.Equal(1, metrics.ProtocolErrors);
    }

    [Fact]
    public void Latency_percentiles_cover_the_last_1024_decisions()
    {
        using var metrics = new ServiceMetrics();
        Assert.Equal((0UL, 0UL), metrics.LatencyPercentiles());
        for (int i = 1; i <= 100; i++) metrics.Decision(Verdict.Allow, i);
        Assert.Equal((50UL, 99UL), metrics.LatencyPercentiles());
        for (int i = 0; i < 1024; i++) metrics.Decision(Verdict.Allow, 7); // the window forgets the first 100
        Assert.Equal((7UL, 7UL), metrics.LatencyPercentiles());
    }
}
