using FraudEdge.Core.Bundles;
using FsCheck.Xunit;

namespace FraudEdge.Core.Tests.Bundles;

/// <summary>Any single-byte change to a signed or hashed file is refused, wherever it lands.</summary>
public sealed class BundleTamperingProperties
{
    [Property(MaxTest = 200)]
    public bool Any_flipped_manifest_byte_is_refused_by_the_signature(uint position, byte mask)
    {
        if (mask == 0) mask = 1;
        MemoryBundleSource files = Fixture.Files();
        byte[] manifest = files.Contents["manifest.json"];
        manifest[(int)(position % (uint)manifest.Length)] ^= mask;
        return RefusedWith(files) is BundleErrorCode.SignatureInvalid or BundleErrorCode.UntrustedKey;
    }

    [Property(MaxTest = 200)]
    public bool Any_flipped_model_byte_is_a_hash_mismatch(uint position, byte mask)
    {
        if (mask == 0) mask = 1;
        MemoryBundleSource files = Fixture.Files();
        byte[] model = files.Contents["model.onnx"];
        model[(int)(position % (uint)model.Length)] ^= mask;
        return RefusedWith(files) == BundleErrorCode.HashMismatch;
    }

    [Property(MaxTest = 100)]
    public bool Any_flipped_signature_byte_is_refused_unless_it_decodes_to_the_same_signature(uint position, byte mask)
    {
        if (mask == 0) mask = 1;
        MemoryBundleSource files = Fixture.Files();
        byte[] sig = files.Contents["manifest.sig"];
        byte[] original = Decode(sig)!;
        sig[(int)(position % (uint)sig.Length)] ^= mask;
        BundleErrorCode? code = RefusedWith(files);
        // Whitespace around the base64 text (the trailing newline) is not part of the signature.
        if (code is null) return Decode(sig) is byte[] same && same.AsSpan().SequenceEqual(original);
        return code is BundleErrorCode.SignatureInvalid or BundleErrorCode.UntrustedKey;
    }

    private static byte[]? Decode(byte[] text)
    {
        try
        {
            return Convert.FromBase64String(System.Text.Encoding.Latin1.GetString(text).Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static BundleErrorCode? RefusedWith(MemoryBundleSource files)
    {
        using TrustedKeys keys = Fixture.TrustedKeys();
        try
        {
            files.Load(keys);
            return null;
        }
        catch (BundleException e)
        {
            return e.Code;
        }
    }
}
