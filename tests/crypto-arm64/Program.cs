using FraudEdge.Core.Crypto;
using ArmSha256 = System.Runtime.Intrinsics.Arm.Sha256;

// Known answers for FraudEdge.Core.Crypto on whatever CPU this runs on. `reference` (x64, with OpenSSL) prints the
// chain digest below from .NET's own SHA-256; every other run recomputes it with the managed one.
const string ChainReference = "36ebcca2183a10cdce7f86ce85f596614a256ee71930e2d58f031a450cbe8599";

if (args is ["reference"])
{
    Console.WriteLine(Convert.ToHexStringLower(Chain(data => System.Security.Cryptography.SHA256.HashData(data))));
    return 0;
}

int failures = 0;
void Check(string what, bool ok)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    if (!ok) failures++;
}

Console.WriteLine($"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}: ARMv8 SHA-256 instructions {(ArmSha256.IsSupported ? "in use" : "not used (portable path)")}");
Check("SHA-256 \"abc\"", Hex(Sha("abc"u8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
Check("SHA-256 \"\"", Hex(Sha([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
Check("SHA-256 448 bits", Hex(Sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
Check("SHA-256 896 bits", Hex(Sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"u8))
    == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
Check("SHA-256 1,000,000 'a'", Hex(Sha(Enumerable.Repeat((byte)'a', 1_000_000).ToArray())) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

bool incrementalAgrees = true;
string chain = Convert.ToHexStringLower(Chain(data =>
{
    byte[] one = Sha(data);
    var incremental = new Sha256();
    incremental.Append(data.AsSpan(0, data.Length / 3));
    incremental.Append(data.AsSpan(data.Length / 3, data.Length / 3));
    incremental.Append(data.AsSpan(2 * (data.Length / 3)));
    byte[] two = new byte[32];
    incremental.GetHashAndReset(two);
    incrementalAgrees &= one.AsSpan().SequenceEqual(two);
    return one;
}));
Check("incremental = one-shot on 1,101 lengths", incrementalAgrees);
Check($"chain over lengths 0..1100 = .NET/OpenSSL's on x64 ({chain[..16]}…)", chain == ChainReference);

byte[] mac = new byte[32];
HmacSha256.HashData("Jefe"u8, "what do ya want for nothing?"u8, mac);
Check("HMAC RFC 4231 case 2", Hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
HmacSha256.HashData(Enumerable.Repeat((byte)0xaa, 131).ToArray(), "Test Using Larger Than Block-Size Key - Hash Key First"u8, mac);
Check("HMAC RFC 4231 case 6", Hex(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");

using (P256PrivateKey key = P256PrivateKey.FromScalar(Convert.FromHexString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721")))
{
    Check("P-256 public key (RFC 6979 A.2.5)", Hex(key.PublicKey.ExportUncompressedPoint())
        == "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    byte[] hash = Sha("sample"u8);
    key.SignHash(hash, out UInt256 r, out UInt256 s);
    Check("ECDSA RFC 6979 \"sample\" r", r.ToString() == "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716");
    Check("ECDSA RFC 6979 \"sample\" s", s.ToString() == "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    byte[] der = new byte[72];
    int length = key.SignData("sample"u8, der);
    Check("ECDSA verify", key.PublicKey.VerifyData("sample"u8, der.AsSpan(0, length)));
    Check("ECDSA tampered message refused", !key.PublicKey.VerifyData("Sample"u8, der.AsSpan(0, length)));
}

Console.WriteLine(failures == 0 ? "all checks passed" : $"{failures} check(s) FAILED");
return failures == 0 ? 0 : 1;

static byte[] Sha(ReadOnlySpan<byte> data)
{
    byte[] hash = new byte[32];
    Sha256.HashData(data, hash);
    return hash;
}

static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

// h(n) = SHA-256(h(n-1) ‖ n pseudo-random bytes), n = 0..1100: every block boundary and tail length, one digest.
static byte[] Chain(Func<byte[], byte[]> hash)
{
    byte[] h = new byte[32];
    uint x = 2463534242;
    for (int n = 0; n <= 1100; n++)
    {
        byte[] input = new byte[32 + n];
        h.CopyTo(input, 0);
        for (int i = 32; i < input.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            input[i] = (byte)x;
        }
        h = hash(input);
    }
    return h;
}
