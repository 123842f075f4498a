using System.Text;
using FraudEdge.Core.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetSha256 = System.Security.Cryptography.SHA256;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>
/// The managed SHA-256 against FIPS 180-4's examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf") and, on random
/// input, against .NET's (OpenSSL on this x64 machine), one-shot and split at every position.
/// </summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    // 448 bits: the padding no longer fits the block, a second one is needed.
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    // 896 bits.
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Nist_examples(string message, string expected)
    {
        byte[] data = Encoding.ASCII.GetBytes(message);
        Assert.Equal(expected, Hex(OneShot(data)));
        Assert.Equal(expected, Hex(Incremental(data, Math.Min(1, data.Length))));
    }

    [Fact]
    public void One_million_a()
    {
        byte[] data = new byte[1_000_000];
        data.AsSpan().Fill((byte)'a');
        const string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        Assert.Equal(expected, Hex(OneShot(data)));
        // The same through many odd-sized appends, as a stream would feed it.
        var hash = new Sha256();
        for (int at = 0; at < data.Length; at += 997) hash.Append(data.AsSpan(at, Math.Min(997, data.Length - at)));
        byte[] result = new byte[32];
        hash.GetHashAndReset(result);
        Assert.Equal(expected, Hex(result));
    }

    [Fact]
    public void Every_length_to_300_matches_dotnet_one_shot_and_split_at_every_position()
    {
        var random = new Random(20_261_128);
        for (int length = 0; length <= 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            byte[] expected = NetSha256.HashData(data);
            Assert.Equal(expected, OneShot(data));
            for (int split = 0; split <= length; split++)
            {
                var hash = new Sha256();
                hash.Append(data.AsSpan(0, split));
                hash.Append(data.AsSpan(split));
                byte[] result = new byte[32];
                hash.GetHashAndReset(result);
                if (!result.AsSpan().SequenceEqual(expected)) Assert.Fail($"length {length}, split at {split}");
            }
        }
    }

    [Fact]
    public void One_byte_at_a_time_and_reuse_after_reset()
    {
        byte[] data = Encoding.ASCII.GetBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq-and-some-more-than-a-block");
        var hash = new Sha256();
        for (int round = 0; round < 3; round++)
        {
            foreach (byte b in data) hash.Append([b]);
            byte[] result = new byte[32];
            hash.GetHashAndReset(result);
            Assert.Equal(NetSha256.HashData(data), result); // and GetHashAndReset left it ready for the next message
        }
    }

    [Fact]
    public void Default_struct_is_a_valid_empty_hash()
    {
        Sha256 hash = default;
        byte[] result = new byte[32];
        hash.GetHashAndReset(result);
        Assert.Equal(NetSha256.HashData([]), result);
        Sha256 other = default;
        other.Append("abc"u8);
        other.GetHashAndReset(result);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex(result));
    }

    [Fact]
    public void A_short_destination_is_refused_and_a_longer_one_gets_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => Sha256.HashData("abc"u8, new byte[31]));
        byte[] destination = new byte[40];
        Assert.Equal(32, Sha256.HashData("abc"u8, destination));
        Assert.All(destination[32..], b => Assert.Equal(0, b));
    }

    [Property(MaxTest = 300)]
    public Property Any_chunking_of_any_bytes_matches_dotnet() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary(), Gen.ArrayOf(Gen.Choose(0, 130)).ToArbitrary(), (data, cuts) =>
        {
            var hash = new Sha256();
            int at = 0;
            foreach (int cut in cuts)
            {
                int take = Math.Min(cut, data.Length - at);
                hash.Append(data.AsSpan(at, take));
                at += take;
            }
            hash.Append(data.AsSpan(at));
            byte[] result = new byte[32];
            hash.GetHashAndReset(result);
            return result.AsSpan().SequenceEqual(NetSha256.HashData(data)) && result.AsSpan().SequenceEqual(OneShot(data));
        });

    internal static byte[] OneShot(ReadOnlySpan<byte> data)
    {
        byte[] result = new byte[32];
        Assert.Equal(32, Sha256.HashData(data, result));
        return result;
    }

    private static byte[] Incremental(byte[] data, int firstChunk)
    {
        var hash = new Sha256();
        hash.Append(data.AsSpan(0, firstChunk));
        hash.Append(data.AsSpan(firstChunk));
        byte[] result = new byte[32];
        hash.GetHashAndReset(result);
        return result;
    }

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
