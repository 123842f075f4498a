using System.Collections.Concurrent;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;

namespace FraudEdge.Client.Tests.Fakes;

/// <summary>
/// A stand-in for fraudedged on a real Unix domain socket in a temp directory. Every connection is served on its
/// own thread; each received frame goes to <see cref="OnRequest"/> (default: <see cref="FakeConnection.AnswerDefault"/>),
/// which may answer, misbehave, stall (not answer) or close.
/// </summary>
internal sealed class FakeFraudEdgeServer : IDisposable
{
    /// <summary>ValidationErrorCode.InvalidBin (docs/protocol.md §8.4).</summary>
    public const ushort InvalidBinDetail = 115;

    private readonly string _directory;
    private readonly Socket _listener;
    private readonly Thread _acceptThread;
    private readonly ConcurrentQueue<FakeConnection> _connections = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private int _accepted;
    private int _requests;
    private volatile bool _disposed;

    public FakeFraudEdgeServer(Action<FakeConnection, ReceivedRequest>? onRequest = null)
    {
        OnRequest = onRequest ?? ((connection, request) => connection.AnswerDefault(request));
        _directory = Path.Combine(Path.GetTempPath(), "fe-client-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        SocketPath = Path.Combine(_directory, "fraudedged.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "fake fraudedged accept" };
        _acceptThread.Start();
    }

    public string SocketPath { get; }

    /// <summary>Called on the connection's thread for every frame received.</summary>
    public Action<FakeConnection, ReceivedRequest> OnRequest { get; set; }

    /// <summary>Called on the connection's thread right after accept, before any frame is read.</summary>
    public Action<FakeConnection>? OnAccept { get; set; }

    public int AcceptedConnections => Volatile.Read(ref _accepted);
    public int RequestsReceived => Volatile.Read(ref _requests);
    public IReadOnlyCollection<ReceivedRequest> Received => _received;
    public bool IsDisposed => _disposed;

    /// <summary>Client options pointing here, with short timeouts so failure tests stay fast.</summary>
    public FraudEdgeClientOptions Options(int requestTimeoutMs = 1000) => new()
    {
        SocketPath = SocketPath,
        ConnectTimeout = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromMilliseconds(requestTimeoutMs),
    };

    /// <summary>The connection accepted n-th (0-based), waiting for it up to 5 s.</summary>
    public FakeConnection Connection(int index)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (_connections.Count > index)
            {
                return _connections.ElementAt(index);
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException($"connection {index} was not accepted");
    }

    internal void Dispatch(FakeConnection connection, FrameHeader header, byte[] payload)
    {
        var request = new ReceivedRequest(Interlocked.Increment(ref _requests) - 1, header, payload);
        _received.Enqueue(request);
        OnRequest(connection, request);
    }

    private void AcceptLoop()
    {
        try
        {
            while (!_disposed)
            {
                Socket socket = _listener.Accept();
                var connection = new FakeConnection(socket, this);
                _connections.Enqueue(connection);
                Interlocked.Increment(ref _accepted);
                var thread = new Thread(() =>
                {
                    try
                    {
                        OnAccept?.Invoke(connection);
                    }
                    catch (SocketException)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                    }

                    connection.Run();
                })
                { IsBackground = true, Name = "fake fraudedged connection" };
                thread.Start();
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
        foreach (FakeConnection connection in _connections)
        {
            connection.Close();
        }

        _acceptThread.Join(TimeSpan.FromSeconds(2));
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
