using FraudEdge.Core.Diagnostics;
using FraudEdge.Core.Storage;
using Microsoft.Win32.SafeHandles;

namespace FraudEdge.Core.Audit;

public sealed partial class AuditLog
{
    private readonly ManualResetEventSlim _dirtySignal = new(false);
    private readonly ManualResetEventSlim _stopSignal = new(false);
    private Thread? _flusher;
    private bool _dirty;
    private volatile bool _stopping;

    private void StartFlusher()
    {
        if (_options.Durability != AuditDurability.GroupCommit) return;
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "fraudedge-audit-group-commit" };
        _flusher.Start();
    }

    /// <summary>Under _lock: the first write after an fsync wakes the flusher; later ones cost a field test.</summary>
    private void SignalDirty()
    {
        if (_dirty) return;
        _dirty = true;
        _dirtySignal.Set();
    }

    /// <summary>
    /// Sleeps until something is written, lets group_commit_ms of records gather, then fsyncs them together
    /// outside the lock (appends continue meanwhile). A record therefore waits at most group_commit_ms plus one
    /// fsync to be durable; that is what a power loss can take (a process crash takes nothing: the kernel has it).
    /// </summary>
    private void FlushLoop()
    {
        while (true)
        {
            _dirtySignal.Wait();
            if (_stopping) return;
            _stopSignal.Wait(_options.GroupCommitMs);
            SafeFileHandle? handle;
            ulong upTo;
            lock (_lock)
            {
                _dirty = false;
                _dirtySignal.Reset();
                handle = _segmentHandle;
                upTo = _next - 1;
                if (handle is null || _failure is not null) continue;
            }
            try
            {
                DurableFile.FlushData(handle);
                AdvanceDurable(upTo);
            }
            catch (ObjectDisposedException)
            {
                // Rotated (or disposed) meanwhile: the rotation fsynced that segment itself.
            }
            catch (IOException e)
            {
                lock (_lock) _failure ??= e;
                CoreLog.AuditWriteFailed(_logger, _directory, "group-commit fsync", e.Message);
            }
            if (_stopping) return;
        }
    }

    private void StopFlusher()
    {
        _stopping = true;
        _stopSignal.Set();
        _dirtySignal.Set();
        _flusher?.Join();
        _dirtySignal.Dispose();
        _stopSignal.Dispose();
    }
}
