using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;

namespace FraudEdge.Core.Tests.History;

public sealed class HistorySnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fe-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TerminalHistory Populated()
    {
        var h = new TerminalHistory(TerminalHistoryTests.Small);
        for (int i = 1; i <= 40; i++)
        {
            var e = Samples.Purchase((ulong)i, card: i % 7, at: Samples.Noon + i * 30_000);
            h.Describe(e, out _);
            h.Observe(e);
        }
        return h;
    }

    private static byte[] Bytes(TerminalHistory h)
    {
        using var ms = new MemoryStream();
        HistorySnapshot.Write(h, ms);
        return ms.ToArray();
    }

    [Fact]
    public void Round_trip_restores_identical_state_and_identical_contexts()
    {
        var original = Populated();
        string path = Path.Combine(_dir, "history.snap");
        HistorySnapshot.Write(original, path);
        Assert.True(HistorySnapshot.TryRead(path, TerminalHistoryTests.Small, out var restored, out var error), error.ToString());
        Assert.Equal(Bytes(original), Bytes(restored!));
        var next = Samples.Purchase(100, card: 3, at: Samples.Noon + 50 * 30_000);
        original.Describe(next, out var a);
        restored!.Describe(next, out var b);
        Assert.Equal(a.CardEvents, b.CardEvents);
        Assert.Equal(a.TerminalDistinctCards10Min, b.TerminalDistinctCards10Min);
        Assert.Equal(a.AtcDelta, b.AtcDelta);
    }

    [Fact]
    public void Every_flipped_byte_is_detected()
    {
        byte[] good = Bytes(Populated());
        // Flip a byte in the header, the payload and the trailer, and a sample in between.
        for (int offset = 0; offset < good.Length; offset += Math.Max(1, good.Length / 97))
        {
            byte[] bad = (byte[])good.Clone();
            bad[offset] ^= 0x40;
            var target = new TerminalHistory(TerminalHistoryTests.Small);
            Assert.False(HistorySnapshot.TryRead(bad, target, out var error), $"flip at {offset} accepted");
            Assert.NotEqual(SnapshotError.None, error);
        }
    }

    [Fact]
    public void Truncated_snapshot_is_reported_and_ignored()
    {
        byte[] good = Bytes(Populated());
        string path = Path.Combine(_dir, "torn.snap");
        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        Assert.False(HistorySnapshot.TryRead(path, TerminalHistoryTests.Small, out var h, out var error));
        Assert.Null(h);
        Assert.Equal(SnapshotError.Truncated, error);
    }

    [Fact]
    public void Snapshot_from_another_profile_is_refused()
    {
        string path = Path.Combine(_dir, "other.snap");
        HistorySnapshot.Write(Populated(), path);
        var bigger = new HistoryLimits { MaxTerminals = 2, RecentEventsPerTerminal = 16, CardCapacity = 128, BinCapacity = 16, OperatorCapacity = 16 };
        Assert.False(HistorySnapshot.TryRead(path, bigger, out _, out var error));
        Assert.Equal(SnapshotError.CapacityMismatch, error);
    }

    [Fact]
    public void Wrong_magic_and_missing_file()
    {
        string path = Path.Combine(_dir, "junk.snap");
        File.WriteAllText(path, "this is not a snapshot at all, just text that happens to be long enough");
        Assert.False(HistorySnapshot.TryRead(path, TerminalHistoryTests.Small, out _, out var error));
        Assert.Equal(SnapshotError.BadMagic, error);
        Assert.False(HistorySnapshot.TryRead(Path.Combine(_dir, "none.snap"), TerminalHistoryTests.Small, out _, out error));
        Assert.Equal(SnapshotError.Missing, error);
    }

    [Fact]
    public void Checksummed_but_impossible_state_is_refused()
    {
        // A writer that is not this code (or a fuzzer) can produce a valid CRC over impossible indexes.
        byte[] good = Bytes(Populated());
        const int headerLength = 4 + 2 + 2 + 40 + 8;
        byte[] bad = (byte[])good.Clone();
        bad[headerLength] = 0xFF; // _lastTerminal = 255 > MaxTerminals
        bad[headerLength + 1] = 0xFF;
        uint crc = FraudEdge.Core.Storage.Crc32C.Update(0, bad.AsSpan(0, bad.Length - 8));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(bad.Length - 8), crc);
        var target = new TerminalHistory(TerminalHistoryTests.Small);
        Assert.False(HistorySnapshot.TryRead(bad, target, out var error));
        Assert.Equal(SnapshotError.InvariantViolated, error);
    }

    [Fact]
    public void Crash_before_rename_leaves_the_previous_snapshot_intact()
    {
        string path = Path.Combine(_dir, "history.snap");
        var first = Populated();
        HistorySnapshot.Write(first, path);
        byte[] before = File.ReadAllBytes(path);
        // What a crash mid-write leaves behind: a partial temp file beside the real one, never renamed.
        File.WriteAllBytes(Path.Combine(_dir, ".history.snap.12345.tmp"), before[..100]);
        Assert.True(HistorySnapshot.TryRead(path, TerminalHistoryTests.Small, out _, out _));
        Assert.Equal(before, File.ReadAllBytes(path));
        // And a later successful write replaces it whole.
        var second = Populated();
        var extra = Samples.Purchase(999, card: 5, at: Samples.Noon + 10_000_000);
        second.Observe(extra);
        HistorySnapshot.Write(second, path);
        Assert.NotEqual(before, File.ReadAllBytes(path));
        Assert.True(HistorySnapshot.TryRead(path, TerminalHistoryTests.Small, out _, out _));
    }
}
