using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// SHA-256 (FIPS 180-4) in managed code. FraudEdge does not use System.Security.Cryptography on the terminal:
/// on Linux that calls OpenSSL, and the terminal image has no libssl/libcrypto (docs/architecture.md,
/// "Cryptography"). The audit chain hashes every record with it, so hashing allocates nothing: the one-shot
/// <see cref="HashData(ReadOnlySpan{byte}, Span{byte})"/> works on spans, and this struct is the incremental
/// form (<see cref="Append"/> / <see cref="GetHashAndReset"/>) that lives on the stack or inside its owner.
/// It is a mutable struct: pass it by <c>ref</c>, never copy one mid-message (the copy would fork the state).
/// <c>default(Sha256)</c> is a valid empty hash.
/// </summary>
[SkipLocalsInit]
public partial struct Sha256
{
    public const int HashSizeInBytes = 32;
    public const int BlockSizeInBytes = 64;

    private State _state;
    private Block _pending;
    private ulong _length;  // bytes appended since the last reset; the low 6 bits are what _pending holds
    private bool _started;  // false for default(Sha256): the initial hash value is loaded on first use

    public Sha256() => Reset();

    // A host tool's faster one-shot SHA-256 (see UseOneShot); null on the terminal, where this file does all hashing.
    private static unsafe delegate*<ReadOnlySpan<byte>, Span<byte>, int> s_oneShot;

    /// <summary>
    /// Lets a host process route <see cref="HashData(ReadOnlySpan{byte}, Span{byte})"/> to another implementation of
    /// the same function — `fraudedge` on an auditor's machine passes the platform's (OpenSSL, SHA-NI on x64: ~4x this
    /// file's scalar code), because .NET has no SHA intrinsics for x64. The caller must check the implementation
    /// against this one first (the CLI does, on known-answer input), since every audit-chain link depends on it.
    /// The terminal's service never calls it: there is no libssl there. Pass null to go back to the managed code.
    /// </summary>
    public static unsafe void UseOneShot(delegate*<ReadOnlySpan<byte>, Span<byte>, int> oneShot) => s_oneShot = oneShot;

    /// <summary>True when <see cref="UseOneShot"/> installed another one-shot implementation.</summary>
    public static unsafe bool UsesOtherOneShot => s_oneShot != null;

    /// <summary>SHA-256 of <paramref name="source"/> into the first 32 bytes of <paramref name="destination"/>; returns 32.</summary>
    public static unsafe int HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (s_oneShot == null) return HashManaged(source, destination);
        if (destination.Length < HashSizeInBytes) ThrowDestinationTooShort();
        return s_oneShot(source, destination);
    }

    /// <summary>This file's SHA-256, whatever <see cref="UseOneShot"/> installed (known-answer checks compare against it).</summary>
    public static int HashManaged(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes) ThrowDestinationTooShort();
        State state = default;
        InitialHash.CopyTo(state);
        int whole = source.Length & ~(BlockSizeInBytes - 1);
        if (whole > 0) Compress(ref state, source[..whole]);
        FinishInto(ref state, source[whole..], (ulong)source.Length, destination);
        return HashSizeInBytes;
    }

    /// <summary>SHA-256 of <paramref name="source"/> as a new array (for callers off the hot path).</summary>
    public static byte[] HashData(ReadOnlySpan<byte> source)
    {
        var hash = new byte[HashSizeInBytes];
        HashData(source, hash);
        return hash;
    }

    /// <summary>Starts a new message.</summary>
    public void Reset()
    {
        InitialHash.CopyTo(_state);
        _length = 0;
        _started = true;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (!_started) Reset();
        int buffered = (int)(_length & (BlockSizeInBytes - 1));
        _length += (ulong)data.Length;
        if (buffered > 0)
        {
            int take = Math.Min(BlockSizeInBytes - buffered, data.Length);
            data[..take].CopyTo(((Span<byte>)_pending)[buffered..]);
            data = data[take..];
            if (buffered + take < BlockSizeInBytes) return;
            Compress(ref _state, _pending);
        }
        int whole = data.Length & ~(BlockSizeInBytes - 1);
        if (whole > 0) Compress(ref _state, data[..whole]);
        data[whole..].CopyTo(_pending);
    }

    /// <summary>Writes the hash of everything appended since the last reset (32 bytes), then resets; returns 32.</summary>
    public int GetHashAndReset(Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes) ThrowDestinationTooShort();
        if (!_started) Reset();
        int buffered = (int)(_length & (BlockSizeInBytes - 1));
        FinishInto(ref _state, ((ReadOnlySpan<byte>)_pending)[..buffered], _length, destination);
        Reset();
        return HashSizeInBytes;
    }

    /// <summary>Pads the last partial block (FIPS 180-4 §5.1.1), compresses it and writes the big-endian state.</summary>
    private static void FinishInto(ref State state, ReadOnlySpan<byte> tail, ulong totalBytes, Span<byte> destination)
    {
        // One block if the 0x80 byte and the 8-byte length fit after the tail, else two.
        Span<byte> last = stackalloc byte[2 * BlockSizeInBytes];
        int length = tail.Length + 1 + 8 <= BlockSizeInBytes ? BlockSizeInBytes : 2 * BlockSizeInBytes;
        last = last[..length];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        last[(tail.Length + 1)..(length - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(last[(length - 8)..], totalBytes << 3);
        Compress(ref state, last);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], state[i]);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("the destination must hold at least 32 bytes", "destination");

    /// <summary>H(0), FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.</summary>
    private static ReadOnlySpan<uint> InitialHash =>
    [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];

    [InlineArray(8)]
    private struct State
    {
        private uint _element;
    }

    [InlineArray(BlockSizeInBytes)]
    private struct Block
    {
        private byte _element;
    }
}
