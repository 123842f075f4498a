using System.Text.Json;
using System.Text.Json.Serialization;

namespace FraudEdge.Core.Bundles;

/// <summary>
/// parity.json: token sequences and expected logits written when the model was exported. Running them
/// through ONNX Runtime on the device proves the deployed graph computes what training measured (int8
/// kernels, CPU features and ORT versions differ between machines; this is where a difference shows).
/// </summary>
public sealed class ParityVectors
{
    [JsonPropertyName("reference")] public string Reference { get; init; } = "";
    [JsonPropertyName("tolerance_abs"), JsonRequired] public double ToleranceAbs { get; init; }
    [JsonPropertyName("vectors"), JsonRequired] public IReadOnlyList<ParityVector> Vectors { get; init; } = [];

    /// <summary>Parses and checks parity.json for a model with the given sequence length and vocabulary.</summary>
    internal static ParityVectors Parse(ReadOnlySpan<byte> utf8Json, int sequenceLength, int vocabularySize)
    {
        ParityVectors? parity;
        try
        {
            parity = JsonSerializer.Deserialize(utf8Json, BundleJsonContext.Default.ParityVectors);
        }
        catch (JsonException e)
        {
            throw new BundleException(BundleErrorCode.ParityInvalid, $"parity.json is not valid JSON for the contract: {e.Message}", e);
        }
        if (parity is null) throw new BundleException(BundleErrorCode.ParityInvalid, "parity.json is empty (null)");
        if (!double.IsFinite(parity.ToleranceAbs) || parity.ToleranceAbs <= 0 || parity.ToleranceAbs > 1)
            throw new BundleException(BundleErrorCode.ParityInvalid, $"tolerance_abs {parity.ToleranceAbs} must be in (0, 1]");
        if (parity.Vectors.Count is 0 or > BundleContract.MaxParityVectors)
            throw new BundleException(BundleErrorCode.ParityInvalid, $"parity.json must hold 1..{BundleContract.MaxParityVectors} vectors, not {parity.Vectors.Count}");
        for (int i = 0; i < parity.Vectors.Count; i++)
        {
            ParityVector v = parity.Vectors[i];
            if (v is null) throw new BundleException(BundleErrorCode.ParityInvalid, $"vectors[{i}] is null");
            if (v.Tokens.Length != sequenceLength)
                throw new BundleException(BundleErrorCode.ParityInvalid, $"vectors[{i}] has {v.Tokens.Length} tokens, the model takes {sequenceLength}");
            foreach (int token in v.Tokens)
            {
                if ((uint)token >= (uint)vocabularySize)
                    throw new BundleException(BundleErrorCode.ParityInvalid, $"vectors[{i}] holds token id {token}, outside the vocabulary 0..{vocabularySize - 1}");
            }
            if (!double.IsFinite(v.Logit))
                throw new BundleException(BundleErrorCode.ParityInvalid, $"vectors[{i}] expects a non-finite logit");
        }
        return parity;
    }
}
