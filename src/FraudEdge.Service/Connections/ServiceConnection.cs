using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Service.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FraudEdge.Service.Connections;

/// <summary>
/// One client connection: the Kestrel-style Pipelines read loop. Every complete frame buffered is answered,
/// in order, then the responses are flushed together (pipelined requests cost one write). An incomplete
/// frame waits for more bytes (consumed = its start, examined = buffer end), never spins. Timeouts are
/// enforced from outside by <see cref="ConnectionRegistry"/>'s heartbeat through CancelPendingRead, so the
/// loop itself arms no timer per read.
/// </summary>
internal sealed class ServiceConnection
{
    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly FrameWriter _frames;
    private readonly RequestDispatcher _dispatcher;
    private readonly ServiceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxFrameBytes;

    // Written by the loop, read by the heartbeat: timestamps (Stopwatch ticks) of the last complete frame
    // (idle clock) and of the first byte of the frame still incomplete (read clock; 0 = none pending).
    private long _lastFrameTicks;
    private long _frameStartTicks;
    private volatile CloseReason _closeRequest;

    public ServiceConnection(long id, Socket socket, RequestDispatcher dispatcher, ServiceMetrics metrics, ILogger logger, int maxFrameBytes)
    {
        Id = id;
        _socket = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        // Buffers sized to the frame limit: one read holds a whole frame, the pool reuses segments.
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: maxFrameBytes + FrameCodec.LengthPrefixBytes, minimumReadSize: 512, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: maxFrameBytes + FrameCodec.LengthPrefixBytes, leaveOpen: true));
        _frames = new FrameWriter(maxFrameBytes);
        _dispatcher = dispatcher;
        _metrics = metrics;
        _logger = logger;
        _maxFrameBytes = maxFrameBytes;
        _lastFrameTicks = Stopwatch.GetTimestamp();
    }

    public long Id { get; }

    /// <summary>Heartbeat check: past a deadline, ask the loop to stop with the matching outcome.</summary>
    public void CheckTimeouts(long nowTicks, long readTimeoutTicks, long idleTimeoutTicks)
    {
        if (_closeRequest != CloseReason.None) return;
        long frameStart = Volatile.Read(ref _frameStartTicks);
        if (frameStart != 0 && nowTicks - frameStart > readTimeoutTicks) RequestClose(CloseReason.ReadTimeout);
        else if (frameStart == 0 && nowTicks - Volatile.Read(ref _lastFrameTicks) > idleTimeoutTicks) RequestClose(CloseReason.IdleTimeout);
    }

    /// <summary>Stops the loop after the frames already buffered are answered (graceful stop, timeouts).</summary>
    public void RequestClose(CloseReason reason)
    {
        _closeRequest = reason;
        _reader.CancelPendingRead();
    }

    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                ReadResult result = await _reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                SequencePosition consumed = buffer.Start;
                SequencePosition examined = buffer.End;
                bool close = false;
                try
                {
                    close = ProcessFrames(ref buffer, ref consumed, ref examined);
                    if (!close) close = HandleEndOfRead(result, buffer);
                }
                finally
                {
                    _reader.AdvanceTo(consumed, examined);
                }
                if (_writer.UnflushedBytes > 0)
                {
                    FlushResult flush = await _writer.FlushAsync().ConfigureAwait(false);
                    if (flush.IsCompleted) close = true;
                }
                if (close) break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            ServiceLog.ConnectionFailed(_logger, Id, e.GetType().Name);
        }
        finally
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _writer.CompleteAsync().ConfigureAwait(false);
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Dispose();
            ServiceLog.ConnectionClosed(_logger, Id);
        }
    }

    /// <summary>Answers every complete frame in <paramref name="buffer"/>. True when the stream is no longer trustworthy.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer, ref SequencePosition consumed, ref SequencePosition examined)
    {
        bool answered = false;
        while (true)
        {
            OperationStatus status = FrameCodec.TryReadFrame(buffer, _maxFrameBytes, out Frame frame, out SequencePosition end, out ProtocolError error);
            if (status == OperationStatus.Done)
            {
                _dispatcher.Handle(frame, _frames, _writer, Id);
                buffer = buffer.Slice(end);
                consumed = end;
                answered = true;
                continue;
            }
            if (status == OperationStatus.InvalidData)
            {
                // Length or version wrong: the next frame boundary is unknown, so answer and close (protocol.md §5).
                // Only a wrong version comes with a header worth echoing; a bad length means the id is noise.
                uint requestId = error.Code == ProtocolErrorCode.UnsupportedVersion ? frame.Header.RequestId : 0;
                _dispatcher.Refuse(_frames, _writer, requestId, error, 0, Id);
                consumed = examined = buffer.End;
                return true;
            }
            break; // NeedMoreData
        }
        long now = Stopwatch.GetTimestamp();
        if (answered) Volatile.Write(ref _lastFrameTicks, now);
        if (buffer.IsEmpty) Volatile.Write(ref _frameStartTicks, 0);
        else if (answered || Volatile.Read(ref _frameStartTicks) == 0) Volatile.Write(ref _frameStartTicks, now);
        return false;
    }

    private bool HandleEndOfRead(in ReadResult result, in ReadOnlySequence<byte> rest)
    {
        if (result.IsCanceled)
        {
            switch (_closeRequest)
            {
                case CloseReason.ReadTimeout:
                    ServiceLog.TimedOut(_logger, Id, "read");
                    _dispatcher.Refuse(_frames, _writer, 0, new ProtocolError(ProtocolErrorCode.ReadTimeout, "frame not completed within the read timeout"), 0, Id);
                    return true;
                case CloseReason.IdleTimeout:
                    ServiceLog.TimedOut(_logger, Id, "idle");
                    return true; // protocol.md §6: closed without an Error frame
                case CloseReason.ShuttingDown:
                    _dispatcher.Refuse(_frames, _writer, 0, new ProtocolError(ProtocolErrorCode.ShuttingDown, "the service is stopping"), 0, Id);
                    return true;
            }
        }
        if (result.IsCompleted)
        {
            if (!rest.IsEmpty) ServiceLog.TruncatedFrame(_logger, Id, rest.Length);
            return true;
        }
        return false;
    }
}
