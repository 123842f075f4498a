using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FraudEdge.Core.Crypto;

namespace FraudEdge.Bench;

/// <summary>
/// FraudEdge.Core.Crypto (managed, what the terminal runs) against .NET's System.Security.Cryptography (OpenSSL on
/// Linux, which the terminal image does not have) on this machine:
/// <list type="bullet">
/// <item><b>Sha256_*_AuditRecord</b> — one SHA-256 of a 281-byte body, the size of an audit Decision record (49 common
///   + 232 payload bytes): the one hash every decision pays.</item>
/// <item><b>Sha256_*_64KiB</b> — throughput on a large buffer (bundle files, audit verification).</item>
/// <item><b>Ecdsa*</b> — P-256/SHA-256 over the 60 bytes a checkpoint signs: verify (bundle load, `fraudedge verify`)
///   and sign (once per audit segment).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn, MinColumn, MaxColumn]
public class CryptoBenchmarks
{
    private readonly byte[] _record = new byte[281];
    private readonly byte[] _large = new byte[64 * 1024];
    private readonly byte[] _checkpoint = new byte[60];
    private readonly byte[] _hash = new byte[32];
    private readonly byte[] _signature = new byte[P256PrivateKey.MaxSignatureLength];
    private byte[] _derSignature = null!;
    private ECDsa _dotnetKey = null!;
    private P256PrivateKey _key = null!;
    private P256PublicKey _publicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(281);
        random.NextBytes(_record);
        random.NextBytes(_large);
        random.NextBytes(_checkpoint);
        _dotnetKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _key = P256PrivateKey.ImportPkcs8PrivateKey(_dotnetKey.ExportPkcs8PrivateKey());
        _publicKey = _key.PublicKey;
        _derSignature = _dotnetKey.SignData(_checkpoint, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dotnetKey.Dispose();
        _key.Dispose();
    }

    [Benchmark]
    public int Sha256_Managed_AuditRecord() => Sha256.HashData(_record, _hash);

    [Benchmark]
    public int Sha256_DotNet_AuditRecord() => SHA256.HashData(_record, _hash);

    [Benchmark]
    public int Sha256_Managed_64KiB() => Sha256.HashData(_large, _hash);

    [Benchmark]
    public int Sha256_DotNet_64KiB() => SHA256.HashData(_large, _hash);

    [Benchmark]
    public bool EcdsaVerify_Managed() => _publicKey.VerifyData(_checkpoint, _derSignature);

    [Benchmark]
    public bool EcdsaVerify_DotNet() => _dotnetKey.VerifyData(_checkpoint, _derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    [Benchmark]
    public int EcdsaSign_Managed() => _key.SignData(_checkpoint, _signature);

    [Benchmark]
    public bool EcdsaSign_DotNet() =>
        _dotnetKey.TrySignData(_checkpoint, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence, out _);
}
