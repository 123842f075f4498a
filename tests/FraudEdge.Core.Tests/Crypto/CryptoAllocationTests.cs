using FraudEdge.Core.Crypto;
using FraudEdge.Core.Events;
using FraudEdge.Core.Tests.Engine;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>
/// The audit chain hashes one record body per decision (AuditLog.Commit, AuditReader): the hash must allocate nothing,
/// one-shot or incremental, and neither may the card-token HMAC. Runs alone, like the other allocation tests.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class CryptoAllocationTests
{
    [Fact]
    public void Hashing_ten_thousand_audit_record_bodies_allocates_zero_bytes()
    {
        byte[] body = new byte[281]; // common fields + a decision payload: the most frequent record
        new Random(281).NextBytes(body);
        byte[] hash = new byte[Sha256.HashSizeInBytes];
        var incremental = new Sha256();
        for (int i = 0; i < 100; i++) Sha256.HashData(body, hash); // warm-up: tiering, statics

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            body[i % body.Length] ^= hash[0]; // each record differs, as in a real chain
            Sha256.HashData(body, hash);
            incremental.Append(body.AsSpan(0, i % body.Length));
            incremental.Append(body.AsSpan(i % body.Length));
            incremental.GetHashAndReset(hash);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Card_token_hmacs_allocate_zero_bytes()
    {
        byte[] key = new byte[32];
        byte[] mac = new byte[HmacSha256.HashSizeInBytes];
        ReadOnlySpan<byte> pan = "4111111111111111"u8;
        for (int i = 0; i < 100; i++) HmacSha256.HashData(key, pan, mac);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            key[i & 31] ^= mac[0];
            HmacSha256.HashData(key, pan, mac);
            CardToken.FromPan(key, "4111 1111 1111 1111");
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
