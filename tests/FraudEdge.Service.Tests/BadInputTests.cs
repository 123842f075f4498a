using System.Diagnostics;
using FraudEdge.Data.EventLog;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FraudEdge.Service.Connections;

namespace FraudEdge.Service.Tests;

/// <summary>
/// Every bad input of the issue gets its documented outcome (docs/protocol.md §5), and after each one the
/// service still serves a fresh connection: nothing a peer sends takes it down.
/// </summary>
public sealed class BadInputTests(SharedService shared) : IClassFixture<SharedService>
{
    private ServiceProcess Service => shared.Service;

    private void AssertServiceStillServes()
    {
        Assert.False(Service.HasExited, Service.Output);
        using var other = new RawConnection(Service.SocketPath);
        try
        {
            Assert.Equal(1u, other.Ping().ProtocolVersion);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(e.Message + "; the service's output:\n" + Service.Output, e);
        }
    }

    private static ScoreRequest ValidRequest() =>
        WireMapping.ToWire(TestTraffic.OneTerminal.First(r => r.Kind == EventLogRecordKind.Event).Event);

    [Fact]
    public void Oversized_length_is_refused_from_the_length_alone_and_the_connection_closed()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 10 00 00"); // 1 MiB announced; nothing else sent
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, c.ReadError(0).Code);
        Assert.True(c.IsClosedByService());
        AssertServiceStillServes();
    }

    [Fact]
    public void Length_below_the_header_is_refused_and_the_connection_closed()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 03 01 05 00");
        Assert.Equal(ProtocolErrorCode.FrameTooShort, c.ReadError(0).Code);
        Assert.True(c.IsClosedByService());
        AssertServiceStillServes();
    }

    [Fact]
    public void Wrong_version_is_refused_with_the_request_id_and_the_connection_closed()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 07 02 05 00 00 00 09 80");
        Assert.Equal(ProtocolErrorCode.UnsupportedVersion, c.ReadError(9).Code);
        Assert.True(c.IsClosedByService());
        AssertServiceStillServes();
    }

    [Fact]
    public void Unknown_message_type_is_answered_and_the_connection_stays_usable()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 07 01 42 00 00 00 0a 80");
        Assert.Equal(ProtocolErrorCode.UnknownMessageType, c.ReadError(10).Code);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void A_service_side_message_sent_to_the_service_is_unexpected()
    {
        using var c = new RawConnection(Service.SocketPath);
        uint id = c.Send(new Pong { ProtocolVersion = 1, UptimeMs = 5 });
        Assert.Equal(ProtocolErrorCode.UnexpectedMessage, c.ReadError(id).Code);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void Wrong_type_for_a_known_key_is_named_and_the_connection_stays_usable()
    {
        using var c = new RawConnection(Service.SocketPath);
        // ScoreRequest {1: 7, 2: 42}: terminal_id must be a string.
        c.SendHex("00 00 00 0b 01 01 00 00 00 0b 82 01 07 02 2a");
        ErrorResponse e = c.ReadError(11);
        Assert.Equal(ProtocolErrorCode.WrongType, e.Code);
        Assert.Equal("terminal_id", e.Field);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void A_missing_required_key_is_named()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 09 01 01 00 00 00 0c 81 01 07"); // only event_id
        ErrorResponse e = c.ReadError(12);
        Assert.Equal(ProtocolErrorCode.MissingField, e.Code);
        Assert.NotEqual("", e.Field);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void Deep_nesting_in_an_unknown_key_hits_the_limit()
    {
        using var c = new RawConnection(Service.SocketPath);
        // Ping {99: [[[[[[[[[[1]]]]]]]]]]}: ten nested arrays, limit 8.
        string nested = string.Concat(Enumerable.Repeat("91 ", 10)) + "01";
        byte[] payload = Convert.FromHexString(("81 63 " + nested).Replace(" ", "", StringComparison.Ordinal));
        c.Send([0, 0, 0, (byte)(6 + payload.Length), 1, 5, 0, 0, 0, 13, .. payload]);
        Assert.Equal(ProtocolErrorCode.LimitExceeded, c.ReadError(13).Code);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void Garbage_is_refused_and_closed()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8); // 'GET ' read as a length of 1.2 GB
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, c.ReadError(0).Code);
        Assert.True(c.IsClosedByService());
        AssertServiceStillServes();
    }

    [Fact]
    public void Malformed_messagepack_inside_a_sound_frame_keeps_the_connection()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 08 01 01 00 00 00 0e c1 c1"); // 0xc1 is never valid MessagePack
        Assert.Equal(ProtocolErrorCode.MalformedPayload, c.ReadError(14).Code);
        Assert.Equal(1u, c.Ping().ProtocolVersion);
    }

    [Fact]
    public void A_client_that_stalls_mid_frame_gets_a_read_timeout_while_others_are_served()
    {
        using var c = new RawConnection(Service.SocketPath);
        c.SendHex("00 00 00 40 01 01 00 00"); // 8 of 68 bytes, then silence
        var clock = Stopwatch.StartNew();
        AssertServiceStillServes(); // served while the stalled one waits
        Assert.Equal(ProtocolErrorCode.ReadTimeout, c.ReadError(0).Code);
        Assert.True(clock.ElapsedMilliseconds >= 400, $"timed out after {clock.ElapsedMilliseconds} ms; the profile says 600");
        Assert.True(c.IsClosedByService());
    }

    [Fact]
    public void A_client_trickling_one_byte_at_a_time_is_still_cut_at_the_read_timeout()
    {
        using var c = new RawConnection(Service.SocketPath);
        byte[] frame = c.Encode(ValidRequest(), 15);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < frame.Length - 1 && clock.ElapsedMilliseconds < 3000; i++)
        {
            try { c.Send(frame.AsSpan(i, 1)); } catch (System.Net.Sockets.SocketException) { break; }
            Thread.Sleep(40);
        }
        Assert.Equal(ProtocolErrorCode.ReadTimeout, c.ReadError(0).Code);
        AssertServiceStillServes();
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_frame_or_mid_request_costs_nothing_else()
    {
        using (var c = new RawConnection(Service.SocketPath))
        {
            byte[] frame = c.Encode(ValidRequest(), 16);
            c.Send(frame.AsSpan(0, frame.Length / 2));
        }
        using (var c = new RawConnection(Service.SocketPath))
        {
            c.Send(c.Encode(new Ping(), 17)); // a whole request, then gone before the answer
        }
        AssertServiceStillServes();
        await Service.WaitForOutputAsync("middle of a frame");
    }

    [Fact]
    public async Task A_client_that_never_reads_its_answers_is_disconnected_after_the_read_timeout()
    {
        using var c = new RawConnection(Service.SocketPath);
        byte[] ping = c.Encode(new Ping(), 23);
        byte[] pings = new byte[ping.Length * 256];
        for (int i = 0; i < 256; i++) ping.CopyTo(pings, i * ping.Length);
        long sent = c.SendUntilBlocked(pings, TimeSpan.FromMilliseconds(300));
        Assert.True(sent > 100_000, $"only {sent} bytes went out before the socket blocked");
        // The service blocked sending answers nobody reads; it gives up after read_timeout_ms (600 ms here).
        await Service.WaitForOutputAsync("timed out (write)");
        AssertServiceStillServes();
    }

    [Fact]
    public void Requests_before_a_bad_frame_are_all_answered()
    {
        using var c = new RawConnection(Service.SocketPath);
        byte[] pings = [.. c.Encode(new Ping(), 21), .. c.Encode(new Ping(), 22), 0, 0x10, 0, 0];
        c.Send(pings);
        Assert.Equal(1u, c.Read<Pong>(21).ProtocolVersion);
        Assert.Equal(1u, c.Read<Pong>(22).ProtocolVersion);
        Assert.Equal(ProtocolErrorCode.FrameTooLarge, c.ReadError(0).Code);
        Assert.True(c.IsClosedByService());
    }
}
