namespace FraudEdge.Protocol.Tests.Support;

/// <summary>Hex as written in docs/protocol.md and in these tests: bytes separated by whitespace, `;` comments to the end of a line.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex)
    {
        var digits = new System.Text.StringBuilder();
        foreach (string line in hex.Split('\n'))
        {
            int comment = line.IndexOf(';', StringComparison.Ordinal);
            foreach (char c in comment < 0 ? line : line[..comment])
            {
                if (!char.IsWhiteSpace(c)) digits.Append(c);
            }
        }
        return Convert.FromHexString(digits.ToString());
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary><paramref name="count"/> copies of one byte, as hex: long strings and arrays in test payloads.</summary>
    public static string Repeat(string byteHex, int count) => string.Join(' ', Enumerable.Repeat(byteHex, count));
}
