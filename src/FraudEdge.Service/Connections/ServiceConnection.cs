using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using FraudEdge.Protocol.Framing;
using FraudEdge.Service.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FraudEdge.Service.Connections;

/// <summary>
/// One client connection, served by its own thread with blocking socket calls: a request wakes this thread
/// once, it decides and answers, and the client's thread is woken once — the two wake-ups a bare socket echo
/// costs. (An async loop adds a hand-off from the socket-event thread to a thread-pool worker per request, and
/// the workers spin to make that hand-off fast: this loop costs the service less CPU per decision; bench/README.md,
/// session 6.) While requests come back to back, <see cref="ReceiveSpin"/> polls briefly before blocking. The
/// profile caps connections at a handful, so a thread each is cheap and fixed.
///
/// Bytes go through two Pipes with inline schedulers and no back-pressure, used synchronously: received bytes
/// are written to the input pipe and parsed by <see cref="FrameCodec"/> from its PipeReader (every complete
/// frame answered in order, an incomplete one kept: consumed = its start, examined = buffer end); answers are
/// written to the output pipe and sent together (pipelined requests cost one send). The thread enforces its own
/// timeouts with the socket's receive timeout (SO_RCVTIMEO): the idle timeout while no frame is pending, what
/// is left of the read timeout while one is — so an idle connection sleeps until its deadline, with no timer
/// waking the service. The graceful stop comes from outside: <see cref="RequestStop"/> shuts the receive side,
/// and the blocked receive returns what the kernel still holds, then 0.
/// </summary>
internal sealed class ServiceConnection
{
    private const int MinimumReadSize = 512;

    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly FrameWriter _frames;
    private readonly RequestDispatcher _dispatcher;
    private readonly ReceiveSpin _spin;
    private readonly ILogger _logger;
    private readonly int _maxFrameBytes;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _closed;

    private readonly int _readTimeoutMs;
    private readonly int _idleTimeoutMs;
    private volatile bool _stopRequested;

    // The loop's clocks (Stopwatch ticks): the last complete frame (idle clock) and the first byte of the frame
    // still incomplete (read clock; 0 = none pending); and the receive timeout the socket has now (ms; 0 = none).
    private long _lastFrameTicks;
    private long _frameStartTicks;
    private int _armedTimeoutMs;
    private readonly long _openedTicks;

    public ServiceConnection(long id, Socket socket, RequestDispatcher dispatcher, ReceiveSpin spin, ILogger logger, int maxFrameBytes, int readTimeoutMs, int idleTimeoutMs)
    {
        Id = id;
        _socket = socket;
        // Blocking calls on a socket that never carries an async one are plain recvmsg/sendmsg (no event thread).
        _socket.Blocking = true;
        // A client that stops reading its answers must not hold this thread for ever: a send blocked that long fails.
        _socket.SendTimeout = readTimeoutMs;
        _readTimeoutMs = Math.Max(1, readTimeoutMs);
        _idleTimeoutMs = Math.Max(1, idleTimeoutMs);
        // Segments sized to the frame limit: one receive holds a whole frame; the pool reuses segments.
        var options = new PipeOptions(pool: MemoryPool<byte>.Shared, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: maxFrameBytes + FrameCodec.LengthPrefixBytes, useSynchronizationContext: false);
        _input = new Pipe(options);
        _output = new Pipe(options);
        _frames = new FrameWriter(maxFrameBytes);
        _dispatcher = dispatcher;
        _spin = spin;
        _logger = logger;
        _maxFrameBytes = maxFrameBytes;
        _openedTicks = _lastFrameTicks = Stopwatch.GetTimestamp();
    }

    public long Id { get; }

    /// <summary>"id: open N ms, last frame N ms ago[, frame pending]" — for the connection-limit log line.</summary>
    public string Describe()
    {
        long now = Stopwatch.GetTimestamp();
        return $"{Id}: open {Stopwatch.GetElapsedTime(_openedTicks, now).TotalMilliseconds:0} ms, last frame "
            + $"{Stopwatch.GetElapsedTime(Volatile.Read(ref _lastFrameTicks), now).TotalMilliseconds:0} ms ago"
            + (Volatile.Read(ref _frameStartTicks) != 0 ? ", frame pending" : "") + (_stopRequested ? ", stopping" : "");
    }

    /// <summary>Graceful stop: the loop answers the frames already received, sends ShuttingDown and closes.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The loop has closed the socket already: nothing left to stop.
        }
    }

    /// <summary>
    /// Starts the connection's thread. <paramref name="closed"/> runs on it once the socket is closed (so a slot
    /// is free again before the next accept needs it); the task completes after that.
    /// </summary>
    public Task Start(Action closed)
    {
        _closed = closed;
        var thread = new Thread(Run) { IsBackground = true, Name = "fe-conn-" + Id };
        thread.UnsafeStart();
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            PipeWriter received = _input.Writer;
            PipeReader frames = _input.Reader;
            long unparsed = 0; // bytes of an incomplete frame kept from the receives so far
            long answeredTicks = 0;   // when the last answers were sent
            bool backToBack = false;  // the last request came within the poll window after the answer before it
            while (true)
            {
                CloseReason expired = ArmReceiveTimeout();
                if (expired != CloseReason.None)
                {
                    EndConnection(expired, unparsed);
                    Send();
                    break;
                }
                if (backToBack) _spin.Poll(_socket);
                int count = _socket.Receive(received.GetSpan(MinimumReadSize), SocketFlags.None, out SocketError error);
                if (error is SocketError.TimedOut or SocketError.WouldBlock) continue; // the deadline is checked above
                if (error != SocketError.Success) throw new SocketException((int)error);
                if (count > 0) backToBack = answeredTicks != 0 && _spin.IsBackToBack(Stopwatch.GetTimestamp() - answeredTicks);
                bool close;
                if (count == 0)
                {
                    // The receive side ended: the stop shut it, or the peer closed; what is kept is an incomplete
                    // frame (complete ones were answered).
                    EndConnection(_stopRequested ? CloseReason.ShuttingDown : CloseReason.None, unparsed);
                    close = true;
                }
                else
                {
                    received.Advance(count);
                    Commit(received);
                    if (!frames.TryRead(out ReadResult result)) throw new InvalidOperationException("received bytes were not readable");
                    ReadOnlySequence<byte> buffer = result.Buffer;
                    SequencePosition consumed = buffer.Start;
                    SequencePosition examined = buffer.End;
                    try
                    {
                        close = ProcessFrames(ref buffer, ref consumed, ref examined);
                        unparsed = buffer.Length;
                    }
                    finally
                    {
                        frames.AdvanceTo(consumed, examined);
                    }
                }
                if (!Send() || close) break;
                answeredTicks = Stopwatch.GetTimestamp();
            }
        }
        catch (Exception e)
        {
            // A socket error, a send timeout, or a bug outside the dispatcher (which catches its own): this
            // connection ends, on its own thread, and the process and every other connection carry on.
            ServiceLog.ConnectionFailed(_logger, Id, e.GetType().Name);
        }
        finally
        {
            _input.Reader.Complete();
            _input.Writer.Complete();
            _output.Reader.Complete();
            _output.Writer.Complete();
            try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            _socket.Dispose();
            ServiceLog.ConnectionClosed(_logger, Id);
            try
            {
                _closed?.Invoke();
            }
            finally
            {
                _stopped.TrySetResult();
            }
        }
    }

    /// <summary>Makes written bytes readable. With no back-pressure and no reader awaiting, the flush is synchronous.</summary>
    private static void Commit(PipeWriter writer)
    {
        ValueTask<FlushResult> flush = writer.FlushAsync();
        if (!flush.IsCompletedSuccessfully) throw new InvalidOperationException("a pipe without back-pressure did not flush synchronously");
        _ = flush.Result;
    }

    /// <summary>
    /// Sends every answer written since the last send, in order, with blocking sends. False when a send made no
    /// progress for the send timeout (the client does not read its answers): the connection is to be closed.
    /// </summary>
    private bool Send()
    {
        if (_output.Writer.UnflushedBytes == 0) return true;
        Commit(_output.Writer);
        if (!_output.Reader.TryRead(out ReadResult result)) return true;
        ReadOnlySequence<byte> pending = result.Buffer;
        try
        {
            foreach (ReadOnlyMemory<byte> segment in pending)
            {
                ReadOnlySpan<byte> rest = segment.Span;
                while (!rest.IsEmpty)
                {
                    int sent = _socket.Send(rest, SocketFlags.None, out SocketError error);
                    if (error is SocketError.WouldBlock or SocketError.TimedOut)
                    {
                        ServiceLog.TimedOut(_logger, Id, "write");
                        return false;
                    }
                    if (error != SocketError.Success) throw new SocketException((int)error);
                    rest = rest[sent..];
                }
            }
            return true;
        }
        finally
        {
            _output.Reader.AdvanceTo(pending.End);
        }
    }

    /// <summary>Answers every complete frame in <paramref name="buffer"/>. True when the stream is no longer trustworthy.</summary>
    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer, ref SequencePosition consumed, ref SequencePosition examined)
    {
        PipeWriter output = _output.Writer;
        bool answered = false;
        while (true)
        {
            OperationStatus status = FrameCodec.TryReadFrame(buffer, _maxFrameBytes, out Frame frame, out SequencePosition end, out ProtocolError error);
            if (status == OperationStatus.Done)
            {
                _dispatcher.Handle(frame, _frames, output, Id);
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
                _dispatcher.Refuse(_frames, output, requestId, error, 0, Id);
                consumed = examined = buffer.End;
                buffer = default;
                return true;
            }
            break; // NeedMoreData
        }
        long now = Stopwatch.GetTimestamp();
        if (answered) _lastFrameTicks = now;
        if (buffer.IsEmpty) _frameStartTicks = 0;
        else if (answered || _frameStartTicks == 0) _frameStartTicks = now;
        return false;
    }

    /// <summary>
    /// Sets the socket's receive timeout to the deadline that applies now — what is left of the read timeout while
    /// a frame is incomplete, else the idle timeout from the last frame — and reports one already passed. The
    /// system call is made only when the value changes: between whole frames it stays the idle timeout.
    /// </summary>
    private CloseReason ArmReceiveTimeout()
    {
        long now = Stopwatch.GetTimestamp();
        bool reading = _frameStartTicks != 0;
        long deadline = reading
            ? _frameStartTicks + _readTimeoutMs * Stopwatch.Frequency / 1000
            : _lastFrameTicks + _idleTimeoutMs * Stopwatch.Frequency / 1000;
        if (now >= deadline) return reading ? CloseReason.ReadTimeout : CloseReason.IdleTimeout;
        // Idle: the whole idle timeout (a wake-up before the deadline just re-arms); reading: the rest, rounded up.
        int timeoutMs = reading ? (int)Math.Min(_readTimeoutMs, ((deadline - now) * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency) : _idleTimeoutMs;
        if (timeoutMs != _armedTimeoutMs)
        {
            _socket.ReceiveTimeout = timeoutMs;
            _armedTimeoutMs = timeoutMs;
        }
        return CloseReason.None;
    }

    /// <summary>The connection ends for <paramref name="reason"/>: logs it and writes the Error frame it calls for (the caller sends it).</summary>
    private void EndConnection(CloseReason reason, long unparsed)
    {
        PipeWriter output = _output.Writer;
        switch (reason)
        {
            case CloseReason.ReadTimeout:
                ServiceLog.TimedOut(_logger, Id, "read");
                _dispatcher.Refuse(_frames, output, 0, new ProtocolError(ProtocolErrorCode.ReadTimeout, "frame not completed within the read timeout"), 0, Id);
                return;
            case CloseReason.IdleTimeout:
                ServiceLog.TimedOut(_logger, Id, "idle");
                return; // protocol.md §6: closed without an Error frame
            case CloseReason.ShuttingDown:
                _dispatcher.Refuse(_frames, output, 0, new ProtocolError(ProtocolErrorCode.ShuttingDown, "the service is stopping"), 0, Id);
                return;
        }
        if (unparsed > 0) ServiceLog.TruncatedFrame(_logger, Id, unparsed);
    }
}
