namespace FraudEdge.Core.Events;

/// <summary>
/// Bank identification number / issuer identification number: the first 6–8 digits of the PAN
/// (ISO/IEC 7812-1; 8-digit BINs since 2022). Not card data under PCI DSS when stored apart from the PAN.
/// </summary>
public readonly record struct Bin(uint Digits, byte Length)
{
    /// <summary>The first six digits, the unit of card-testing burst counters.</summary>
    public uint Prefix6 => Length switch { 7 => Digits / 10, 8 => Digits / 100, _ => Digits };

    public bool IsValid
    {
        get
        {
            if (Length is < 6 or > 8) return false;
            uint low = Length switch { 6 => 100_000u, 7 => 1_000_000u, _ => 10_000_000u };
            return Digits >= low && Digits < low * 10; // leading digit 1-9 (major industry identifier)
        }
    }

    public static Bin Parse(string digits)
    {
        if (digits.Length is < 6 or > 8 || !uint.TryParse(digits, out uint value))
            throw new FormatException("A BIN is 6 to 8 digits.");
        return new Bin(value, (byte)digits.Length);
    }

    public override string ToString() => Digits.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
