using System.Buffers.Binary;
using FraudEdge.Core.Events;
using FraudEdge.Core.History;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Storage;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.Fuzz.Targets;

/// <summary>
/// <c>snapshot</c>: bytes → <see cref="HistorySnapshot.TryRead(ReadOnlySpan{byte}, TerminalHistory, out SnapshotError)"/>
/// into a fresh small history, exactly as a restart reads the file from disk.
///
/// Crashes (anything that escapes, plus these oracle checks):
/// - refused with <see cref="SnapshotError.None"/> or an undefined code, or accepted with a code;
/// - a refused snapshot leaves a trace (the target history is not byte-identical to an empty one);
/// - slow oracle: an accepted snapshot, written back, is not byte-identical to the input;
/// - on an accepted history, the next events a live terminal would send (Describe → Tokenize → Observe,
///   issuer declines and fraud labels through Record) throw or give a token id out of range;
/// - the history this code wrote after that is refused when read back (Observe/Record must keep the
///   invariants that <c>CheckInvariants</c> demands of a restored table).
///
/// Nearly every mutation of a real snapshot fails the CRC, so this target mostly proves the framing checks
/// total; <see cref="SnapshotPayloadTarget"/> recomputes the CRC to reach the invariant checks and the
/// lookups over restored tables.
/// </summary>
public static class SnapshotTarget
{
    public const string Name = "snapshot";

    public static HistoryLimits Limits => EventTarget.Limits;

    private static readonly byte[] Empty = Serialize(new TerminalHistory(Limits));

    /// <summary>A valid snapshot of an empty history of <see cref="Limits"/> (header, zero tables, CRC, trailer).</summary>
    public static ReadOnlySpan<byte> EmptySnapshot => Empty;

    /// <summary>"SHEF" and the CRC-32C before it.</summary>
    public const int TrailerLength = 8;

    /// <summary>Header bytes: everything before the tables (derived, so a format change cannot desynchronise it).</summary>
    public static int HeaderLength { get; } = Empty.Length - (int)new TerminalHistory(Limits).PayloadLength - TrailerLength;

    public static void Run(ReadOnlySpan<byte> input)
    {
        var target = new TerminalHistory(Limits);
        bool accepted = HistorySnapshot.TryRead(input, target, out SnapshotError error);
        if (!accepted)
        {
            if (error == SnapshotError.None || !Enum.IsDefined(error))
                throw new FuzzOracleException($"snapshot refused with error code {(int)error}");
            if (!Serialize(target).AsSpan().SequenceEqual(Empty))
                throw new FuzzOracleException($"a refused snapshot ({error}) left state behind in the target history");
            return;
        }
        if (error != SnapshotError.None) throw new FuzzOracleException($"snapshot accepted with error {error}");

        byte[] written = Serialize(target);
        if (!written.AsSpan().SequenceEqual(input))
            throw new FuzzOracleException("an accepted snapshot does not write back to the same bytes");

        Exercise(target);

        byte[] after = Serialize(target);
        var reread = new TerminalHistory(Limits);
        if (!HistorySnapshot.TryRead(after, reread, out SnapshotError again))
            throw new FuzzOracleException($"the history written after Observe/Record on a restored snapshot is refused: {again}");
    }

    /// <summary>The next few events a live terminal would send after a restart, against the restored history.</summary>
    internal static void Exercise(TerminalHistory history)
    {
        Span<int> tokens = stackalloc int[Tokenizer.SequenceLength];
        int vocabulary = Tokenizer.VocabularySize;
        ReadOnlySpan<TransactionEvent> probes = SeedEvents.Probes;
        for (int i = 0; i < probes.Length; i++)
        {
            TransactionEvent evt = probes[i];
            long previous = history.LastTimestamp(evt.TerminalId);
            // A terminal's clock moves on from where the snapshot left it; keep the probe valid when the
            // restored timestamp allows it, so the restored rows (not the validator) are what gets tested.
            if (previous > EventValidator.MinTimestampUtcMs && previous < EventValidator.MaxTimestampUtcMs - 3_600_000)
                evt.TimestampUtcMs = previous + 1_000 * (i + 1);
            if (!EventValidator.Validate(evt, previous).IsValid) continue;

            history.Describe(evt, out EventContext context);
            Tokenizer.Tokenize(evt, context, tokens);
            EventTarget.CheckTokens(tokens, vocabulary);
            history.Observe(evt);

            var decline = new OutcomeNotice
            {
                EventId = evt.EventId, TerminalId = evt.TerminalId, CardToken = evt.CardToken,
                TimestampUtcMs = evt.TimestampUtcMs + 2_000, Kind = OutcomeKind.IssuerResponse,
                ResponseCode = OutcomeNotice.PackResponseCode(i % 2 == 0 ? "05" : "00"),
            };
            history.Record(decline);
            if (i == probes.Length - 1)
            {
                var fraud = decline with { Kind = OutcomeKind.FraudReported, ResponseCode = 0 };
                history.Record(fraud);
            }
        }
    }

    internal static byte[] Serialize(TerminalHistory history)
    {
        // Sized up front: a growing MemoryStream would copy the ~18 KB tables several times per input.
        using var stream = new MemoryStream(Empty?.Length ?? 0);
        HistorySnapshot.Write(history, stream);
        return stream.ToArray();
    }

    /// <summary>Frames <paramref name="payload"/> as a snapshot of <see cref="Limits"/>: the real header, the
    /// payload cut or zero-padded to the exact table size, then a correct CRC-32C and trailer.</summary>
    internal static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        byte[] bytes = new byte[Empty.Length];
        int payloadLength = bytes.Length - HeaderLength - TrailerLength;
        Empty.AsSpan(0, HeaderLength).CopyTo(bytes);
        payload[..Math.Min(payload.Length, payloadLength)].CopyTo(bytes.AsSpan(HeaderLength));
        int crcOffset = HeaderLength + payloadLength;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(crcOffset), Crc32C.Update(0, bytes.AsSpan(0, crcOffset)));
        "SHEF"u8.CopyTo(bytes.AsSpan(crcOffset + 4));
        return bytes;
    }

    /// <summary>The table bytes of a snapshot (what <see cref="SnapshotPayloadTarget"/> takes as input).</summary>
    internal static ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> snapshot) =>
        snapshot[HeaderLength..^TrailerLength];
}
