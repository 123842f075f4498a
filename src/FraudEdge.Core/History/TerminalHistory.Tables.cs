using FraudEdge.Core.Events;

namespace FraudEdge.Core.History;

/// <summary>Lookup and deterministic eviction for the fixed tables.</summary>
public sealed partial class TerminalHistory
{
    private int FindTerminal(TerminalId id)
    {
        if (_terminals[_lastTerminal].Used && _terminals[_lastTerminal].Id == id) return _lastTerminal;
        for (int i = 0; i < _terminals.Length; i++)
        {
            if (_terminals[i].Used && _terminals[i].Id == id)
            {
                _lastTerminal = i;
                return i;
            }
        }
        return -1;
    }

    private int FindOrAddTerminal(TerminalId id, long now)
    {
        int found = FindTerminal(id);
        if (found >= 0) return found;
        int victim = 0;
        for (int i = 0; i < _terminals.Length; i++)
        {
            if (!_terminals[i].Used) { victim = i; break; }
            if (_terminals[i].LastTimestampMs < _terminals[victim].LastTimestampMs) victim = i;
        }
        _terminals[victim] = new TerminalSlot { Id = id, Used = true, LastTimestampMs = now };
        _events.AsSpan(victim * _eventsPerTerminal, _eventsPerTerminal).Clear();
        _lastTerminal = victim;
        return victim;
    }

    private int FindCard(UInt128 token)
    {
        int mask = _cards.Length - 1;
        int start = (int)(Window.Mix((ulong)token ^ (ulong)(token >> 64)) & (ulong)mask);
        for (int p = 0; p < ProbeWindow; p++)
        {
            ref CardEntry e = ref _cards[(start + p) & mask];
            if (!e.Used) return -1;
            if (e.Token == token) return (start + p) & mask;
        }
        return -1;
    }

    private int FindOrAddCard(UInt128 token, long now)
    {
        int mask = _cards.Length - 1;
        int start = (int)(Window.Mix((ulong)token ^ (ulong)(token >> 64)) & (ulong)mask);
        int victim = -1;
        for (int p = 0; p < ProbeWindow; p++)
        {
            int i = (start + p) & mask;
            ref CardEntry e = ref _cards[i];
            if (!e.Used)
            {
                victim = i;
                break;
            }
            if (e.Token == token) return i;
            if (victim < 0 || e.LastSeenMs < _cards[victim].LastSeenMs) victim = i;
        }
        _cards[victim] = new CardEntry { Token = token, Used = true, LastSeenMs = now };
        return victim;
    }

    private int FindBin(uint prefix)
    {
        int mask = _bins.Length - 1;
        int start = (int)(Window.Mix(prefix) & (ulong)mask);
        for (int p = 0; p < ProbeWindow; p++)
        {
            ref BinEntry e = ref _bins[(start + p) & mask];
            if (!e.Used) return -1;
            if (e.Prefix6 == prefix) return (start + p) & mask;
        }
        return -1;
    }

    private int FindOrAddBin(uint prefix, long now)
    {
        int mask = _bins.Length - 1;
        int start = (int)(Window.Mix(prefix) & (ulong)mask);
        int victim = -1;
        for (int p = 0; p < ProbeWindow; p++)
        {
            int i = (start + p) & mask;
            ref BinEntry e = ref _bins[i];
            if (!e.Used) { victim = i; break; }
            if (e.Prefix6 == prefix) return i;
            if (victim < 0 || e.LastSeenMs < _bins[victim].LastSeenMs) victim = i;
        }
        _bins[victim] = new BinEntry { Prefix6 = prefix, Used = true, LastSeenMs = now };
        return victim;
    }

    private int FindOperator(ulong key)
    {
        int mask = _operators.Length - 1;
        int start = (int)(key & (ulong)mask);
        for (int p = 0; p < ProbeWindow; p++)
        {
            ref OperatorEntry e = ref _operators[(start + p) & mask];
            if (!e.Used) return -1;
            if (e.Key == key) return (start + p) & mask;
        }
        return -1;
    }

    private int FindOrAddOperator(ulong key, long now)
    {
        int mask = _operators.Length - 1;
        int start = (int)(key & (ulong)mask);
        int victim = -1;
        for (int p = 0; p < ProbeWindow; p++)
        {
            int i = (start + p) & mask;
            ref OperatorEntry e = ref _operators[i];
            if (!e.Used) { victim = i; break; }
            if (e.Key == key) return i;
            if (victim < 0 || e.LastSeenMs < _operators[victim].LastSeenMs) victim = i;
        }
        _operators[victim] = new OperatorEntry { Key = key, Used = true, LastSeenMs = now };
        return victim;
    }

    private int FindHotListed(UInt128 token)
    {
        int mask = _hotList.Length - 1;
        int start = (int)(Window.Mix((ulong)token ^ (ulong)(token >> 64)) & (ulong)mask);
        for (int p = 0; p < ProbeWindow; p++)
        {
            ref HotListEntry e = ref _hotList[(start + p) & mask];
            if (!e.Used) return -1;
            if (e.Token == token) return (start + p) & mask;
        }
        return -1;
    }

    /// <summary>Adds a card to the exception file; when full, the oldest label in the probe window goes.</summary>
    private void AddHotListed(UInt128 token, long labelledAtMs)
    {
        int mask = _hotList.Length - 1;
        int start = (int)(Window.Mix((ulong)token ^ (ulong)(token >> 64)) & (ulong)mask);
        int victim = -1;
        for (int p = 0; p < ProbeWindow; p++)
        {
            int i = (start + p) & mask;
            ref HotListEntry e = ref _hotList[i];
            if (!e.Used) { victim = i; break; }
            if (e.Token == token) { e.LabelledAtMs = Math.Max(e.LabelledAtMs, labelledAtMs); return; }
            if (victim < 0 || e.LabelledAtMs < _hotList[victim].LabelledAtMs) victim = i;
        }
        _hotList[victim] = new HotListEntry { Token = token, LabelledAtMs = labelledAtMs, Used = true };
    }
}
