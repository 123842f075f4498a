using System.Security.Cryptography;
using FraudEdge.Core.Crypto;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FraudEdge.Core.Tests.Crypto;

/// <summary>
/// Totality of the decoders that read untrusted bytes (manifest.sig, checkpoint signatures, key files): any input gives
/// an answer (false, or a FormatException for keys), never another exception, and a valid signature with any one
/// byte changed never verifies.
/// </summary>
public sealed class CryptoDecoderProperties
{
    private static readonly P256PrivateKey Key = P256PrivateKey.FromScalar(Convert.FromHexString("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"));
    private static readonly byte[] Hash = SHA256.HashData("sample"u8);
    private static readonly byte[] Signature = SignOnce();

    private static Arbitrary<byte[]> Bytes => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Any_bytes_as_a_signature_are_an_answer_not_an_exception() =>
        Prop.ForAll(Bytes, bytes => !Key.PublicKey.VerifyHash(Hash, bytes));

    [Property(MaxTest = 500)]
    public Property A_valid_signature_with_one_byte_changed_never_verifies() =>
        Prop.ForAll(Gen.Choose(0, Signature.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (at, xor) =>
        {
            byte[] changed = (byte[])Signature.Clone();
            changed[at] ^= (byte)xor;
            return !Key.PublicKey.VerifyHash(Hash, changed);
        });

    [Property(MaxTest = 300)]
    public Property Any_bytes_as_a_key_are_a_key_or_a_FormatException() =>
        Prop.ForAll(Bytes, bytes =>
        {
            // Mostly garbage; with the real prefixes kept, the parser also gets past the outer structure.
            byte[] spki = [.. Key.PublicKey.ExportSubjectPublicKeyInfo().AsSpan(0, Math.Min(26, bytes.Length)), .. bytes];
            return Refuses(() => P256PublicKey.ImportSubjectPublicKeyInfo(bytes)) && Refuses(() => P256PublicKey.ImportSubjectPublicKeyInfo(spki))
                && Refuses(() => P256PrivateKey.ImportPkcs8PrivateKey(bytes)) && Refuses(() => P256PrivateKey.ImportECPrivateKey(bytes))
                && Refuses(() => P256PrivateKey.FromPem("-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(bytes) + "\n-----END PRIVATE KEY-----\n"));
        });

    private static bool Refuses(Action import)
    {
        try
        {
            import();
            return true; // a valid key is an answer too
        }
        catch (FormatException)
        {
            return true;
        }
    }

    private static byte[] SignOnce()
    {
        byte[] signature = new byte[P256PrivateKey.MaxSignatureLength];
        return signature[..Key.SignHash(Hash, signature)];
    }
}
