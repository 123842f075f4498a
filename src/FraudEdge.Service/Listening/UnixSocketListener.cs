using System.Net.Sockets;
using FraudEdge.Core;
using FraudEdge.Protocol.Framing;
using FraudEdge.Service.Configuration;
using FraudEdge.Service.Connections;
using FraudEdge.Service.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FraudEdge.Service.Listening;

/// <summary>
/// Owns the Unix socket: binds it (mode 0660) before the host reports ready to systemd, accepts, checks each
/// peer's kernel-reported credentials against the allow list and the connection limit, and on stop drains
/// the connections and removes the socket file.
/// </summary>
internal sealed class UnixSocketListener(
    IOptions<ServiceOptions> options,
    FraudEngine engine,
    RequestDispatcher dispatcher,
    ServiceMetrics metrics,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ServiceOptions _options = options.Value;
    private readonly ILogger _logger = loggerFactory.CreateLogger("FraudEdge.Service.Listener");
    private readonly ILogger _connectionLogger = loggerFactory.CreateLogger("FraudEdge.Service.Connection");
    private Socket? _listener;
    private ConnectionRegistry? _registry;
    private ReceiveSpin? _spin;
    private PeerPolicy? _policy;
    private long _nextConnectionId;
    private bool _ownsSocketFile;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bound synchronously here, not in ExecuteAsync: the host signals READY=1 after StartAsync, and a
        // client started by systemd ordering must find the socket.
        var limits = engine.Profile.Service;
        _registry = new ConnectionRegistry(limits);
        _spin = new ReceiveSpin(_options.ReceiveSpinMicroseconds);
        _policy = new PeerPolicy(PeerCredentials.EffectiveUid(), _options.AllowedUids, _options.AllowedGids);
        _listener = Bind(_options.SocketPath);
        ServiceLog.Listening(_logger, _options.SocketPath, engine.Profile.Name, limits.MaxConnections, limits.MaxFrameBytes,
            string.IsNullOrWhiteSpace(_options.Cpus) ? "any (not pinned)" : _options.Cpus.Trim(), _spin.Microseconds);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = _listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.Interrupted)
            {
                continue;
            }
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        PeerCredentials peer;
        try
        {
            peer = PeerCredentials.Of(client);
        }
        catch (SocketException)
        {
            client.Dispose(); // the peer vanished before we could ask who it was
            return;
        }
        if (!_policy!.Allows(peer))
        {
            metrics.ConnectionRefused();
            ServiceLog.PeerRefused(_logger, peer.Pid, peer.Uid, peer.Gid);
            RefuseAndClose(client, new ProtocolError(ProtocolErrorCode.PeerNotAllowed, "this uid/gid is not allowed to use the service"));
            return;
        }
        var registry = _registry!;
        if (registry.Count >= registry.Capacity)
        {
            metrics.ConnectionRefused();
            ServiceLog.ServerBusy(_logger, peer.Pid, registry.Capacity, registry.Describe());
            RefuseAndClose(client, new ProtocolError(ProtocolErrorCode.ServerBusy, "the service is at its connection limit"));
            return;
        }
        long id = Interlocked.Increment(ref _nextConnectionId);
        var connection = new ServiceConnection(id, client, dispatcher, _spin!, _connectionLogger, engine.Profile.Service.MaxFrameBytes,
            engine.Profile.Service.ReadTimeoutMs, engine.Profile.Service.IdleTimeoutMs);
        metrics.ConnectionOpened();
        ServiceLog.ConnectionAccepted(_logger, id, peer.Pid, peer.Uid, peer.Gid);
        if (!registry.TryStart(connection, metrics.ConnectionClosed))
        {
            metrics.ConnectionClosed();
            client.Dispose();
        }
    }

    private void RefuseAndClose(Socket client, ProtocolError error)
    {
        metrics.Error(error.Code);
        try
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            new FrameWriter(256).WriteError(buffer, 0, error);
            client.Send(buffer.WrittenSpan, SocketFlags.None);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The refused peer is gone already: nothing to tell it.
        }
        finally
        {
            client.Dispose();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop accepting first, then let open connections answer what they have read (graceful drain).
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _listener?.Dispose();
        if (_registry is { } registry)
        {
            ServiceLog.Draining(_logger, registry.Count);
            await registry.DrainAsync(TimeSpan.FromMilliseconds(_options.DrainTimeoutMs)).ConfigureAwait(false);
        }
        if (_ownsSocketFile) TryDelete(_options.SocketPath);
        ServiceLog.Stopped(_logger, _options.SocketPath);
    }

    private Socket Bind(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        if (File.Exists(path)) ReplaceStale(path);

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            _ownsSocketFile = true;
            // 0660: owner and group may connect, others may not (protocol.md §1); the allow list is the second gate.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            socket.Listen(Math.Max(4, engine.Profile.Service.MaxConnections));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A socket file left by a crash is removed; a live one means another instance serves it, so refuse to start.</summary>
    private void ReplaceStale(string path)
    {
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new InvalidOperationException($"another process is already serving {path}");
            }
            catch (SocketException)
            {
                // Nobody listening: stale.
            }
        }
        // A socket file has length 0; anything else at that path is somebody's data, not ours to delete.
        if (new FileInfo(path).Length != 0) throw new InvalidOperationException($"{path} exists and is not a socket");
        File.Delete(path);
        ServiceLog.StaleSocketReplaced(_logger, path);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
