using FraudEdge.Core.Crypto;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>Sha256.UseOneShot: a host may route one-shot hashing elsewhere; the managed code stays reachable.</summary>
[Collection(Sha256HookCollection.Name)]
public sealed unsafe class Sha256HookTests
{
    private static int s_calls;

    private static int Counting(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        s_calls++;
        return Sha256.HashManaged(source, destination);
    }

    [Fact]
    public void An_installed_one_shot_is_used_until_removed_and_HashManaged_ignores_it()
    {
        byte[] data = "abc"u8.ToArray();
        byte[] expected = Convert.FromHexString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 B.1
        var hash = new byte[32];
        s_calls = 0;
        try
        {
            Sha256.UseOneShot(&Counting);
            Assert.True(Sha256.UsesOtherOneShot);
            Sha256.HashData(data, hash);
            Assert.Equal(expected, hash);
            Assert.Equal(1, s_calls);
            Sha256.HashManaged(data, hash);
            Assert.Equal(1, s_calls);
        }
        finally
        {
            Sha256.UseOneShot(null);
        }
        Assert.False(Sha256.UsesOtherOneShot);
        Sha256.HashData(data, hash);
        Assert.Equal(expected, hash);
        Assert.Equal(1, s_calls);
    }
}

/// <summary>The hook is process-wide: tests that install one must not run beside other hashing tests' assertions.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Sha256HookCollection
{
    public const string Name = "Sha256 one-shot hook";
}
