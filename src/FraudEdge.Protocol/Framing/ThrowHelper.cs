using System.Diagnostics.CodeAnalysis;

namespace FraudEdge.Protocol.Framing;

/// <summary>
/// Every throw of the assembly, out of line so the hot methods stay small and inlinable. Only the writing
/// side throws (a caller bug: a frame over the maximum, a string no peer would accept); readers never do.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowFrameTooLarge(int maxFrameBytes) =>
        throw new InvalidOperationException($"The encoded frame exceeds the maximum frame size of {maxFrameBytes} bytes.");

    [DoesNotReturn]
    public static void ThrowMaxFrameBytesOutOfRange(int maxFrameBytes) =>
        throw new ArgumentOutOfRangeException(nameof(maxFrameBytes), maxFrameBytes,
            $"The maximum frame size must be {FrameCodec.HeaderAfterLength} to {FrameWriter.MaxConfigurableFrameBytes} bytes.");

    [DoesNotReturn]
    public static void ThrowStringTooLong(string field) =>
        throw new ArgumentException(
            $"'{field}' is longer than {ProtocolLimits.MaxStringBytes} UTF-8 bytes: every reader would refuse it (docs/protocol.md §3).");

    [DoesNotReturn]
    public static void ThrowNotAscii16() =>
        throw new FormatException($"Not 1 to {Messages.Ascii16Text.MaxLength} printable ASCII characters (0x21-0x7E).");
}
