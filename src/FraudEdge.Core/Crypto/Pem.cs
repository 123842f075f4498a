using System.Text;

namespace FraudEdge.Core.Crypto;

/// <summary>
/// The textual encoding of RFC 7468: "-----BEGIN label-----", base64 (whitespace allowed), "-----END label-----",
/// with any explanatory text around the blocks. Read here rather than with System.Security.Cryptography's
/// PemEncoding so FraudEdge.Core has no reference into that assembly at all.
/// </summary>
internal static class Pem
{
    private const string BeginPrefix = "-----BEGIN ";
    private const string EndPrefix = "-----END ";
    private const string Dashes = "-----";

    /// <summary>One PEM block. <see cref="Der"/> may be a key: callers clear it when done.</summary>
    public readonly record struct Block(string Label, byte[] Der);

    /// <summary>
    /// Every block in <paramref name="text"/>, in order. A block that starts but is malformed (no matching END,
    /// bad label, bad base64, encapsulated headers) is a <see cref="FormatException"/> whose message never
    /// quotes the body.
    /// </summary>
    public static List<Block> ReadAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocks = new List<Block>();
        int at = 0;
        while ((at = text.IndexOf(BeginPrefix, at, StringComparison.Ordinal)) >= 0)
        {
            int labelStart = at + BeginPrefix.Length;
            int labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
            if (labelEnd < 0) throw new FormatException("a PEM BEGIN line is not closed with -----");
            string label = text[labelStart..labelEnd];
            if (!IsLabel(label)) throw new FormatException("a PEM block has an invalid label");
            int bodyStart = labelEnd + Dashes.Length;
            string end = EndPrefix + label + Dashes;
            int bodyEnd = text.IndexOf(end, bodyStart, StringComparison.Ordinal);
            if (bodyEnd < 0) throw new FormatException($"the PEM block \"{label}\" has no matching END line");
            byte[] der;
            try
            {
                // Convert skips spaces, tabs and line breaks; anything else (e.g. "Proc-Type:" headers) fails.
                der = Convert.FromBase64String(text[bodyStart..bodyEnd]);
            }
            catch (FormatException)
            {
                throw new FormatException($"the PEM block \"{label}\" has a malformed base64 body");
            }
            blocks.Add(new Block(label, der));
            at = bodyEnd + end.Length;
        }
        return blocks;
    }

    /// <summary>"-----BEGIN label-----", the base64 in 64-character lines, "-----END label-----", LF line ends.</summary>
    public static string Write(string label, ReadOnlySpan<byte> der)
    {
        string base64 = Convert.ToBase64String(der);
        var text = new StringBuilder(base64.Length + 2 * label.Length + 64);
        text.Append(BeginPrefix).Append(label).Append(Dashes).Append('\n');
        for (int i = 0; i < base64.Length; i += 64)
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        text.Append(EndPrefix).Append(label).Append(Dashes).Append('\n');
        return text.ToString();
    }

    /// <summary>RFC 7468 §3: printable ASCII except '-', single inner spaces or hyphens; empty allowed.</summary>
    private static bool IsLabel(string label)
    {
        if (label.Length == 0) return true;
        if (label[0] is ' ' or '-' || label[^1] is ' ' or '-') return false;
        foreach (char c in label)
        {
            if (c < 0x20 || c > 0x7e) return false;
        }
        return !label.Contains("  ", StringComparison.Ordinal) && !label.Contains("--", StringComparison.Ordinal);
    }
}
