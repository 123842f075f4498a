using FraudEdge.Protocol.Framing;
using FraudEdge.Protocol.Messages;
using FsCheck;
using FsCheck.Fluent;

namespace FraudEdge.Protocol.Tests.Support;

/// <summary>FsCheck generators: every field over its whole wire range, boundary values (0, encoding edges, max) often.</summary>
internal static class Generators
{
    private static readonly ulong[] Edges =
    [
        0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x1_0000_0000, long.MaxValue, 1UL << 63, ulong.MaxValue - 1, ulong.MaxValue, unchecked((ulong)-1L), unchecked((ulong)-32L),
        unchecked((ulong)-33L), unchecked((ulong)-128L), unchecked((ulong)-129L), unchecked((ulong)short.MinValue),
    ];

    public static Gen<ulong> U64 { get; } = Gen.Frequency(
        (3, Gen.Elements(Edges)),
        (2, Gen.Choose(0, 300).Select(i => (ulong)i)),
        (4, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => (ulong)(uint)hi << 32 | (uint)lo)));

    public static Gen<Ascii16Text> Ascii16 { get; } =
        Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x21, 0x7E), n))
            .Select(codes => Pack(codes.Select(c => (byte)c).ToArray()));

    private static Ascii16Text Pack(byte[] ascii) => Ascii16Text.TryPack(ascii, out Ascii16Text text) ? text : throw new InvalidOperationException();

    /// <summary>UTF-8 text of at most 64 bytes: ASCII, Latin-1, BMP symbols and surrogate pairs (≤ 4 bytes per 2 chars).</summary>
    public static Gen<string> Text { get; } =
        Gen.Choose(0, 20).SelectMany(n => Gen.ArrayOf(Gen.Elements("a", "Z", "0", " ", "-", ".", "é", "ß", "€", "✓", "😀", "\u0000", "\u007f"), n))
            .Select(parts => string.Concat(parts))
            .Where(s => System.Text.Encoding.UTF8.GetByteCount(s) <= ProtocolLimits.MaxStringBytes);

    private static Gen<string?> OptionalText { get; } = Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text.Select(s => (string?)s)));

    private static Gen<ushort> PrintablePair { get; } =
        Gen.Zip(Gen.Choose(0x20, 0x7E), Gen.Choose(0x20, 0x7E), (a, b) => (ushort)(a << 8 | b));

    public static Gen<ScoreRequest> ScoreRequests { get; } =
        Gen.Zip(Gen.ArrayOf(U64, 28), Gen.Zip(Ascii16, Ascii16, (t, m) => (t, m)), (v, ids) =>
        {
            bool hasAtc = v[22] % 2 == 0;
            return new ScoreRequest
            {
                EventId = v[0], TerminalId = ids.t, MerchantId = ids.m, Lane = (ushort)v[1], OperatorId = (uint)v[2],
                TimestampMs = (long)v[3], LocalOffsetMinutes = (short)v[4], Kind = (byte)v[5], AmountMinor = (long)v[6],
                CashbackMinor = (long)v[7], Currency = (ushort)v[8], MerchantCategoryCode = (ushort)v[9],
                TerminalCountry = (ushort)v[10], CardToken = new UInt128(v[11], v[12]), Bin = (uint)v[13],
                LastFour = (ushort)v[14], Scheme = (byte)v[15], CardType = (byte)v[16], IssuerCountry = (ushort)v[17],
                ExpiryYyMm = (ushort)v[18], ServiceCode = (ushort)v[19], EntryMode = (byte)v[20], Cvm = (byte)v[21],
                HasAtc = hasAtc, Atc = hasAtc ? (ushort)v[23] : (ushort)0, Tvr = v[24] & 0xFF_FFFF_FFFF,
                Cryptogram = (byte)v[25], Attended = v[26] % 3 != 0,
            };
        });

    public static Gen<ScoreResponse> ScoreResponses { get; } =
        Gen.Zip(Gen.ArrayOf(U64, 8), Gen.Frequency((1, Gen.Constant(default(Ascii16Text))), (3, Ascii16)), (v, model) => new ScoreResponse
        {
            EventId = v[0], Verdict = (byte)v[1], RiskScore = (byte)v[2],
            Probability = v[3] % 4 == 0 ? float.NaN : BitConverter.Int32BitsToSingle((int)v[4]),
            Reasons = v[5], Source = (byte)v[6], ElapsedMicroseconds = (uint)v[7], ModelVersion = model,
        });

    public static Gen<OutcomeNotice> OutcomeNotices { get; } =
        Gen.Zip(Gen.ArrayOf(U64, 6), Gen.Zip(Ascii16, PrintablePair, (t, code) => (t, code)), (v, x) =>
        {
            byte kind = v[4] % 2 == 0 ? (byte)1 : (byte)v[4];
            return new OutcomeNotice
            {
                EventId = v[0], TerminalId = x.t, CardToken = new UInt128(v[1], v[2]), TimestampMs = (long)v[3], Kind = kind,
                ResponseCode = kind == 1 || v[5] % 2 == 0 ? x.code : (ushort)0,
            };
        });

    public static Gen<StatusResponse> StatusResponses { get; } =
        Gen.Zip(
            Gen.ArrayOf(U64, 24),
            Gen.Zip(Gen.ArrayOf(Text, 3), Gen.ArrayOf(OptionalText, 4), (required, optional) => (required, optional)),
            (v, t) => new StatusResponse
            {
                ServiceVersion = t.required[0], ProtocolVersion = (uint)v[0], Profile = t.required[1],
                ModelName = t.optional[0], ModelVersion = t.optional[1], ModelSha256 = t.optional[2], Tokenizer = t.required[2],
                Decisions = v[1], Allowed = v[2], Reviewed = v[3], Denied = v[4], Rejected = v[5], Fallbacks = v[6],
                DeadlineMisses = v[7], Outcomes = v[8], ConnectionsActive = v[9], ConnectionsTotal = v[10],
                ConnectionsRefused = v[11], ProtocolErrors = v[12], RssBytes = v[13], PeakRssBytes = v[14],
                ManagedHeapBytes = v[15], UptimeMs = v[16], LatencyP50Us = v[17], LatencyP99Us = v[18],
                ModelRefusal = v[19] % 3 == 0 ? null : (ushort)(v[19] >> 8), AllocatedBytes = v[20],
                MemoryBudgetBytes = v[21], GcHeapLimitBytes = v[22], Shedding = v[23] % 2 == 1,
                AuditLastRecord = v[23] >> 1, AuditHeadSha256 = t.optional[3],
            });

    public static Gen<ErrorResponse> ErrorResponses { get; } =
        Gen.Zip(Gen.ArrayOf(U64, 3), Gen.Zip(Text, Text, (m, f) => (m, f)), (v, t) => new ErrorResponse
        {
            Code = (ProtocolErrorCode)(ushort)v[0], Message = t.m, Field = v[1] % 3 == 0 ? "" : t.f, Detail = (ushort)v[2],
        });

    public static Gen<Pong> Pongs { get; } = Gen.Zip(U64, U64, (a, b) => new Pong { ProtocolVersion = (uint)a, UptimeMs = b });

    public static Gen<Ack> Acks { get; } = U64.Select(v => new Ack { EventId = v });

    public static Gen<byte> Bytes { get; } = Gen.Choose(0, 255).Select(i => (byte)i);

    /// <summary>Arbitrary bytes, short and long (past the 64-entry and 64-byte limits).</summary>
    public static Gen<byte[]> ByteArrays { get; } = Gen.Frequency(
        (3, Gen.ArrayOf(Bytes)),
        (1, Gen.Choose(0, 700).SelectMany(n => Gen.ArrayOf(Bytes, n))));

    /// <summary>
    /// "Almost MessagePack": a soup of well-formed fragments (map/array headers in every width, keys 0–30,
    /// integers in every encoding, str/bin/ext of lengths around the limits, nil, bools, floats, the never-used
    /// code) glued together. Random bytes rarely get past the map header; this reaches every key's reader.
    /// </summary>
    public static Gen<byte[]> MessagePackSoup { get; } =
        Gen.Choose(1, 60).SelectMany(n => Gen.ArrayOf(Fragment, n)).Select(parts => parts.SelectMany(p => p).ToArray());

    private static Gen<byte[]> Fragment { get; } = Gen.Frequency(
        (6, Gen.Choose(0, 30).Select(k => new[] { (byte)k })),                                   // a key / fixint
        (2, Gen.Choose(0, 20).Select(n => new[] { (byte)(0x80 + Math.Min(n, 15)) })),            // fixmap
        (1, Gen.Choose(0, 70).Select(n => new byte[] { 0xde, 0, (byte)n })),                     // map16
        (1, Gen.Choose(0, 70).Select(n => new byte[] { 0xdf, 0, 0, 0, (byte)n })),               // map32
        (1, Gen.Choose(0, 15).Select(n => new[] { (byte)(0x90 + n) })),                          // fixarray
        (1, Gen.Choose(0, 70).Select(n => new byte[] { 0xdc, 0, (byte)n })),                     // array16
        (3, U64.SelectMany(IntegerEncodings)),
        (2, Gen.Choose(0, 70).SelectMany(n => Gen.ArrayOf(Gen.Choose(0x20, 0x7E).Select(c => (byte)c), n)).SelectMany(StringEncodings)),
        (2, Gen.Choose(0, 70).SelectMany(n => Gen.ArrayOf(Bytes, n)).Select(b => (byte[])[0xc4, (byte)b.Length, .. b])),
        (1, Gen.Elements<byte[]>([0xc0], [0xc2], [0xc3], [0xc1], [0xca, 0x3c, 0x49, 0x85, 0xf0], [0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0],
            [0xd4, 1, 2], [0xc7, 2, 5, 1, 2], [0xd8, 9, .. new byte[16]])),
        (1, Bytes.Select(b => new[] { b })));

    private static Gen<byte[]> IntegerEncodings(ulong v)
    {
        byte[] be = BitConverter.GetBytes(v);
        Array.Reverse(be);
        return Gen.Elements<byte[]>(
            [(byte)(v & 0x7F)], [0xcc, (byte)v], [0xcd, .. be[6..]], [0xce, .. be[4..]], [0xcf, .. be],
            [0xd0, (byte)v], [0xd1, .. be[6..]], [0xd2, .. be[4..]], [0xd3, .. be], [(byte)(0xe0 | (v & 0x1F))]);
    }

    private static Gen<byte[]> StringEncodings(byte[] s) => Gen.Elements<byte[]>(
        s.Length < 32 ? [(byte)(0xa0 + s.Length), .. s] : [0xd9, (byte)s.Length, .. s],
        [0xd9, (byte)s.Length, .. s],
        [0xda, 0, (byte)s.Length, .. s]);
}
