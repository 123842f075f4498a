using System.Buffers.Binary;
using System.Globalization;

namespace FraudEdge.Core.Audit;

/// <summary>
/// A SHA-256 value (a record's hash, a chain link, a bundle's manifest hash) held as four big-endian words,
/// so it is a plain value type: compared, copied and stored without an allocation. <see cref="ToString"/>
/// gives the usual lowercase hex of the 32 bytes in order.
/// </summary>
public readonly record struct AuditHash(ulong Word0, ulong Word1, ulong Word2, ulong Word3)
{
    public const int Size = 32;

    public static AuditHash Zero => default;

    public bool IsZero => (Word0 | Word1 | Word2 | Word3) == 0;

    public static AuditHash Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Word0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Word1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], Word2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], Word3);
    }

    /// <summary>Parses 64 hex characters (as <see cref="Bundles.ModelBundle.ManifestSha256"/> prints them).</summary>
    public static AuditHash ParseHex(string hex)
    {
        if (hex is null || hex.Length != 2 * Size) throw new FormatException("A SHA-256 is 64 hex characters.");
        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Size)
            throw new FormatException("A SHA-256 is 64 hex characters.");
        return Read(bytes);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Word0:x16}{Word1:x16}{Word2:x16}{Word3:x16}");
}
