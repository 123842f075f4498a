using System.Text;
using FraudEdge.Core.Crypto;
using NetHmac = System.Security.Cryptography.HMACSHA256;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>HMAC-SHA-256 against RFC 4231 §4 and, for random keys and messages, against .NET's (OpenSSL here).</summary>
public sealed class HmacSha256Tests
{
    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        // Test case 1
        { Repeat("0b", 20), Convert.ToHexString("Hi There"u8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        // 2: a key shorter than the output
        { Convert.ToHexString("Jefe"u8), Convert.ToHexString("what do ya want for nothing?"u8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        // 3: combined key and data lengths above the block size
        { Repeat("aa", 20), Repeat("dd", 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        // 4
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", Repeat("cd", 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        // 6: a key larger than the block, hashed first
        { Repeat("aa", 131), Convert.ToHexString("Test Using Larger Than Block-Size Key - Hash Key First"u8), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        // 7: key and data both larger than the block
        { Repeat("aa", 131), Convert.ToHexString(Encoding.ASCII.GetBytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Rfc4231_test_cases(string keyHex, string dataHex, string expected)
    {
        byte[] key = Convert.FromHexString(keyHex), data = Convert.FromHexString(dataHex);
        byte[] mac = new byte[32];
        Assert.Equal(32, HmacSha256.HashData(key, data, mac));
        Assert.Equal(expected, Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Rfc4231_test_case_5_truncated_to_128_bits()
    {
        byte[] mac = new byte[32];
        HmacSha256.HashData(Convert.FromHexString(Repeat("0c", 20)), "Test With Truncation"u8, mac);
        Assert.Equal("a3b6167473100ee06e0c796c2955552b", Convert.ToHexStringLower(mac.AsSpan(0, 16)));
    }

    [Fact]
    public void Random_keys_and_messages_match_dotnet_one_shot_and_incremental()
    {
        var random = new Random(4231);
        // Key lengths around the block size (63, 64, 65) and the empty key included.
        for (int keyLength = 0; keyLength <= 140; keyLength += keyLength is >= 60 and < 70 ? 1 : 7)
        {
            byte[] key = new byte[keyLength];
            random.NextBytes(key);
            var incremental = new HmacSha256(key);
            for (int round = 0; round < 6; round++)
            {
                byte[] data = new byte[random.Next(0, 301)];
                random.NextBytes(data);
                byte[] expected = NetHmac.HashData(key, data);
                byte[] mac = new byte[32];
                HmacSha256.HashData(key, data, mac);
                Assert.Equal(expected, mac);

                int split = random.Next(0, data.Length + 1);
                incremental.Append(data.AsSpan(0, split));
                incremental.Append(data.AsSpan(split));
                incremental.GetHashAndReset(mac); // and the same key object serves the next round
                Assert.Equal(expected, mac);
            }
        }
    }

    [Fact]
    public void A_default_or_cleared_instance_refuses_instead_of_hashing_without_a_key()
    {
        HmacSha256 none = default;
        Assert.Throws<InvalidOperationException>(() => none.Append("x"u8));
        var keyed = new HmacSha256("k"u8);
        keyed.Clear();
        Assert.Throws<InvalidOperationException>(() => keyed.GetHashAndReset(new byte[32]));
    }

    private static string Repeat(string hexByte, int count) => string.Concat(Enumerable.Repeat(hexByte, count));
}
