namespace FraudEdge.Core.Events;

/// <summary>Card acceptor identification (ISO 8583 DE 42): 1–16 printable ASCII characters.</summary>
public readonly record struct MerchantId(UInt128 Packed)
{
    public bool IsEmpty => Packed == UInt128.Zero;

    public static MerchantId Parse(string text) =>
        Ascii16.TryPack(text.AsSpan(), out var packed) ? new MerchantId(packed)
            : throw new FormatException("A merchant id is 1-16 printable ASCII characters.");

    public static bool TryParse(ReadOnlySpan<byte> ascii, out MerchantId id)
    {
        bool ok = Ascii16.TryPack(ascii, out var packed);
        id = new MerchantId(packed);
        return ok;
    }

    public int CopyTo(Span<byte> destination) => Ascii16.Unpack(Packed, destination);

    public override string ToString() => Ascii16.ToString(Packed);
}
