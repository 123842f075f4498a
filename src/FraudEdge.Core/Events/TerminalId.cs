namespace FraudEdge.Core.Events;

/// <summary>Terminal identification (ISO 8583 DE 41): 1–16 printable ASCII characters.</summary>
public readonly record struct TerminalId(UInt128 Packed)
{
    public bool IsEmpty => Packed == UInt128.Zero;

    public static TerminalId Parse(string text) =>
        Ascii16.TryPack(text.AsSpan(), out var packed) ? new TerminalId(packed)
            : throw new FormatException("A terminal id is 1-16 printable ASCII characters.");

    public static bool TryParse(ReadOnlySpan<byte> ascii, out TerminalId id)
    {
        bool ok = Ascii16.TryPack(ascii, out var packed);
        id = new TerminalId(packed);
        return ok;
    }

    public int CopyTo(Span<byte> destination) => Ascii16.Unpack(Packed, destination);

    public override string ToString() => Ascii16.ToString(Packed);
}
