using System.Buffers.Binary;
using FraudEdge.Protocol.Messages;
using FraudEdge.Protocol.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Protocol.Tests.Messages;

public sealed class Ascii16TextTests
{
    [Fact]
    public void Packing_is_big_endian_zero_padded_like_FraudEdge_Core()
    {
        Span<byte> expected = stackalloc byte[16];
        expected.Clear();
        "T0001"u8.CopyTo(expected);
        Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(expected), Ascii16Text.Parse("T0001").Packed);
        Assert.Equal((UInt128)0x41 << 120, Ascii16Text.Parse("A").Packed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABCDEFGHIJKLMNOPQ")] // 17
    [InlineData("A B")]
    [InlineData("é")]
    [InlineData("\u007f")]
    [InlineData("A\u0000")]
    public void Anything_but_1_to_16_printable_ASCII_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => Ascii16Text.Parse(text));
        Assert.False(Ascii16Text.TryPack(System.Text.Encoding.UTF8.GetBytes(text), out Ascii16Text packed));
        Assert.True(packed.IsEmpty);
    }

    [Fact]
    public void Empty_is_the_default_and_prints_as_the_empty_string()
    {
        Assert.True(default(Ascii16Text).IsEmpty);
        Assert.Equal("", default(Ascii16Text).ToString());
        Assert.Equal(0, default(Ascii16Text).CopyTo(new byte[16]));
    }

    [Property(MaxTest = 300)]
    public Property Parse_ToString_and_CopyTo_round_trip_and_ordering_matches_ordinal_string_ordering() =>
        Prop.ForAll(Generators.Ascii16.ToArbitrary(), Generators.Ascii16.ToArbitrary(), (a, b) =>
        {
            string sa = a.ToString(), sb = b.ToString();
            byte[] copy = new byte[16];
            int length = a.CopyTo(copy);
            return Ascii16Text.Parse(sa) == a && length == sa.Length && System.Text.Encoding.ASCII.GetString(copy, 0, length) == sa
                && Math.Sign(a.Packed.CompareTo(b.Packed)) == Math.Sign(string.CompareOrdinal(sa, sb));
        });
}
