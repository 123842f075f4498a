using System.Diagnostics;
using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Service.Tests;

/// <summary>A bare Unix-socket peer that writes any bytes and reads whole frames: the tool for bad-input tests.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly FrameWriter _frames = new(65536);
    private uint _nextId = 1;

    public RawConnection(string socketPath, int receiveTimeoutMs = 10_000)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = receiveTimeoutMs };
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
    }

    public void Send(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    public void SendHex(string hex) => Send(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

    public uint Send<T>(in T message, uint? requestId = null) where T : struct, IProtocolMessage<T>
    {
        uint id = requestId ?? _nextId++;
        Send(Encode(message, id));
        return id;
    }

    public byte[] Encode<T>(in T message, uint requestId) where T : struct, IProtocolMessage<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        _frames.Write(buffer, requestId, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Sends <paramref name="chunk"/> again and again without reading, until the kernel takes nothing more for
    /// <paramref name="stalled"/> (the service's answers fill both socket buffers, so it stops reading too) or
    /// the service closes the connection. Returns the bytes sent.
    /// </summary>
    public long SendUntilBlocked(ReadOnlySpan<byte> chunk, TimeSpan stalled)
    {
        _socket.Blocking = false;
        try
        {
            long total = 0;
            int offset = 0;
            var idle = Stopwatch.StartNew();
            while (idle.Elapsed < stalled)
            {
                int n = _socket.Send(chunk[offset..], SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock) { Thread.Sleep(10); continue; }
                if (error is SocketError.Shutdown or SocketError.ConnectionReset) break; // EPIPE: closed by the service
                if (error != SocketError.Success) throw new SocketException((int)error);
                total += n;
                offset = (offset + n) % chunk.Length;
                idle.Restart();
            }
            return total;
        }
        finally
        {
            _socket.Blocking = true;
        }
    }

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame, or null when the service closed the connection.</summary>
    public (FrameHeader Header, byte[] Payload)? ReadFrame()
    {
        byte[] prefix = new byte[4];
        if (!ReadExactly(prefix)) return null;
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length is < 6 or > 1 << 20) throw new InvalidDataException($"service sent length {length}");
        byte[] frame = new byte[4 + length];
        prefix.CopyTo(frame, 0);
        if (!ReadExactly(frame.AsSpan(4))) throw new InvalidDataException("service closed mid-frame");
        var status = FrameCodec.TryReadFrame(new ReadOnlySequence<byte>(frame), 1 << 20, out Frame f, out _, out var error);
        Assert.True(status == OperationStatus.Done, $"service frame did not decode: {error}");
        return (f.Header, f.Payload.ToArray());
    }

    public T Read<T>(uint requestId) where T : struct, IProtocolMessage<T>
    {
        var frame = ReadFrame() ?? throw new InvalidDataException("connection closed");
        if (frame.Header.Type == MessageType.Error && T.Type != MessageType.Error)
        {
            ErrorResponse.TryRead(new ReadOnlySequence<byte>(frame.Payload), out var e, out _);
            throw new InvalidDataException($"service answered Error {e.Code} ({e.Field}): {e.Message}");
        }
        Assert.True(T.Type == frame.Header.Type && requestId == frame.Header.RequestId,
            $"expected {T.Type} #{requestId}, got {frame.Header.Type} #{frame.Header.RequestId}: {Convert.ToHexString(frame.Payload)}");
        var status = T.TryRead(new ReadOnlySequence<byte>(frame.Payload), out T message, out var error);
        Assert.True(status == OperationStatus.Done, $"{T.Type} did not decode: {error}");
        return message;
    }

    public ErrorResponse ReadError(uint expectedRequestId)
    {
        var frame = ReadFrame() ?? throw new InvalidDataException("connection closed before the Error frame");
        Assert.Equal(MessageType.Error, frame.Header.Type);
        Assert.Equal(expectedRequestId, frame.Header.RequestId);
        Assert.Equal(OperationStatus.Done, ErrorResponse.TryRead(new ReadOnlySequence<byte>(frame.Payload), out var e, out _));
        return e;
    }

    /// <summary>True when the service closed its side (read returns 0) within the receive timeout.</summary>
    public bool IsClosedByService()
    {
        byte[] one = new byte[1];
        try
        {
            return _socket.Receive(one) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    public Pong Ping()
    {
        uint id = Send(new Ping());
        return Read<Pong>(id);
    }

    private bool ReadExactly(Span<byte> destination)
    {
        int read = 0;
        while (read < destination.Length)
        {
            int n = _socket.Receive(destination[read..]);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new InvalidDataException("connection closed mid-frame");
            }
            read += n;
        }
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
