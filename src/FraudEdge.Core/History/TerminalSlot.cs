using FraudEdge.Core.Events;

namespace FraudEdge.Core.History;

/// <summary>Per-terminal state; its event ring lives in one shared preallocated array.</summary>
internal struct TerminalSlot
{
    public TerminalId Id;
    public long LastTimestampMs;
    /// <summary>A forward clock jump of more than a day, waiting for a second event to confirm it.</summary>
    public long PendingJumpMs;
    public Timestamps16 FraudLabelTimes;
    public int Head;
    public int Count;
    public byte FraudLabelHead;
    public bool Used;
}
