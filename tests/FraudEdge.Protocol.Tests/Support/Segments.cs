using System.Buffers;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>Multi-segment <see cref="ReadOnlySequence{T}"/>s, as a pipe hands them over when bytes arrive in pieces.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Single(byte[] bytes) => new(bytes);

    /// <summary>Two segments, the first <paramref name="split"/> bytes long (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int split) =>
        Build([bytes.AsMemory(0, split), bytes.AsMemory(split)]);

    /// <summary>One byte per segment.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        var parts = new ReadOnlyMemory<byte>[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) parts[i] = bytes.AsMemory(i, 1);
        return Build(parts);
    }

    public static ReadOnlySequence<byte> Build(ReadOnlyMemory<byte>[] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++) last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
