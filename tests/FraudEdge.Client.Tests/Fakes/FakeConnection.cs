using System.Buffers;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;

namespace FraudEdge.Client.Tests.Fakes;

/// <summary>
/// One accepted connection of <see cref="FakeFraudEdgeServer"/>, served on its own thread with blocking sockets, so
/// nothing it does (or allocates) happens on a test's thread.
/// </summary>
internal sealed class FakeConnection
{
    private readonly Socket _socket;
    private readonly FakeFraudEdgeServer _server;
    private readonly ManualResetEventSlim _closed = new(false);
    private volatile bool _closedByServer;

    public FakeConnection(Socket socket, FakeFraudEdgeServer server)
    {
        _socket = socket;
        _server = server;
    }

    /// <summary>Set when the connection has ended, closed by either side.</summary>
    public ManualResetEventSlim Closed => _closed;

    public void Reply<TMessage>(uint requestId, in TMessage message) where TMessage : struct, IProtocolMessage<TMessage> =>
        SendRaw(Encode(requestId, in message));

    /// <summary>Sends the frame one byte per write with a pause between, so the client sees many partial reads.</summary>
    public void ReplyBytewise<TMessage>(uint requestId, in TMessage message) where TMessage : struct, IProtocolMessage<TMessage>
    {
        byte[] frame = Encode(requestId, in message);
        for (int i = 0; i < frame.Length; i++)
        {
            SendRaw(frame.AsSpan(i, 1));
            Thread.Sleep(1);
        }
    }

    public void ReplyError(uint requestId, ProtocolErrorCode code, string message, string field = "", ushort detail = 0) =>
        Reply(requestId, new ErrorResponse { Code = code, Message = message, Field = field, Detail = detail });

    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = _socket.Send(bytes);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Closes the connection from the service's side.</summary>
    public void Close()
    {
        _closedByServer = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>What a well-behaved fraudedged would answer (the decisions are made up: this is transport, not scoring).</summary>
    public void AnswerDefault(ReceivedRequest request)
    {
        uint id = request.Header.RequestId;
        switch (request.Header.Type)
        {
            case MessageType.ScoreRequest:
                if (ScoreRequest.TryRead(request.PayloadSequence, out ScoreRequest score, out ProtocolError error) != OperationStatus.Done)
                {
                    ReplyError(id, error.Code, error.Message, error.Field);
                    return;
                }

                if (score.Bin is < 100_000 or > 99_999_999)
                {
                    ReplyError(id, ProtocolErrorCode.InvalidEvent, "BIN must be 6 to 8 digits with a non-zero first digit",
                        "bin", FakeFraudEdgeServer.InvalidBinDetail);
                    return;
                }

                Reply(id, DecisionFor(in score));
                return;

            case MessageType.OutcomeNotice:
                if (OutcomeNotice.TryRead(request.PayloadSequence, out OutcomeNotice notice, out error) != OperationStatus.Done)
                {
                    ReplyError(id, error.Code, error.Message, error.Field);
                    return;
                }

                Reply(id, new Ack { EventId = notice.EventId });
                return;

            case MessageType.Ping:
                Reply(id, new Pong { ProtocolVersion = 1, UptimeMs = 1000 });
                return;

            case MessageType.StatusRequest:
                Reply(id, new StatusResponse
                {
                    ServiceVersion = "0.9.0-fake",
                    ProtocolVersion = 1,
                    Profile = "entry-a53",
                    Tokenizer = "fe-tok-1",
                    Decisions = 42,
                    Allowed = 40,
                    Denied = 2,
                    ConnectionsActive = 1,
                    ConnectionsTotal = (ulong)_server.AcceptedConnections,
                    UptimeMs = 1000,
                });
                return;

            default:
                ReplyError(id, ProtocolErrorCode.UnexpectedMessage, "a service message was sent to the service");
                return;
        }
    }

    public static ScoreResponse DecisionFor(in ScoreRequest request) => new()
    {
        EventId = request.EventId,
        Verdict = request.AmountMinor >= 100_000 ? (byte)3 : (byte)1,
        RiskScore = request.AmountMinor >= 100_000 ? (byte)91 : (byte)4,
        Probability = 0.0123f,
        Reasons = 1UL << 8,
        Source = 1,
        ElapsedMicroseconds = 140,
        ModelVersion = Ascii16Text.Parse("1.0.0"),
    };

    public static byte[] Encode<TMessage>(uint requestId, in TMessage message) where TMessage : struct, IProtocolMessage<TMessage>
    {
        var buffer = new ArrayBufferWriter<byte>();
        new FrameWriter().Write(buffer, requestId, in message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads frames until the peer closes; each goes to the server's handler.</summary>
    internal void Run()
    {
        byte[] buffer = new byte[256 * 1024];
        int start = 0;
        int end = 0;
        try
        {
            while (true)
            {
                while (end > start)
                {
                    var sequence = new ReadOnlySequence<byte>(buffer, start, end - start);
                    OperationStatus status = FrameCodec.TryReadFrame(in sequence, ProtocolLimits.DefaultMaxFrameBytes,
                        out Frame frame, out _, out ProtocolError error);
                    if (status == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    if (status == OperationStatus.InvalidData)
                    {
                        ReplyError(frame.Header.RequestId, error.Code, error.Message);
                        return;
                    }

                    start += FrameCodec.LengthPrefixBytes + frame.Header.Length;
                    _server.Dispatch(this, frame.Header, frame.Payload.ToArray());
                    if (_closedByServer || _server.IsDisposed)
                    {
                        return;
                    }
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                int received = _socket.Receive(buffer.AsSpan(end));
                if (received == 0)
                {
                    return;
                }

                end += received;
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _socket.Dispose();
            _closed.Set();
        }
    }
}
