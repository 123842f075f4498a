using System.Runtime.InteropServices;
using System.Text.Json;
using FraudEdge.ComputeFloor;
using FraudEdge.Core.Bundles;
using FraudEdge.Core.Profiles;
using FraudEdge.Core.Tokenization;

namespace FraudEdge.CostPerDecision;

/// <summary>
/// What the measured decision runs, as JSON for the script's report: the bundle (name, version, precision, the
/// manifest's SHA-256 and model.onnx's), the tokenizer version, the profile, and the model's MFLOP per decision
/// counted from the ONNX graph by compute-floor's <see cref="OnnxFlops"/> (2·M·K·N per MatMul / MatMulInteger /
/// Gemm, batch 1), next to the trainer's figure from the manifest. Read natively, outside valgrind.
/// </summary>
public static class BundleFacts
{
    public static int Write(CostOptions options, Stream output)
    {
        using TrustedKeys keys = TrustedKeys.FromPemFiles([options.KeyFile]);
        // Loading verifies the signature and every file hash, so the hashes printed are those of a bundle the engine accepts.
        ModelBundle bundle = ModelBundle.Load(options.ModelDirectory, keys);
        BundleManifest m = bundle.Manifest;
        HardwareProfile profile = HardwareProfiles.Resolve(options.Profile);
        OnnxFlops flops = OnnxFlops.Count(File.ReadAllBytes(Path.Combine(options.ModelDirectory, "model.onnx")), m.SequenceLength);

        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model_name", m.Name);
        json.WriteString("model_version", m.Version);
        json.WriteString("model_precision", m.Precision);
        json.WriteString("model_directory", options.ModelDirectory);
        json.WriteString("bundle_manifest_sha256", bundle.ManifestSha256);
        json.WriteString("model_onnx_sha256", m.Files.TryGetValue("model.onnx", out string? h) ? h : null);
        json.WriteString("bundle_tokenizer", m.Tokenizer);
        json.WriteString("tokenizer_version", Tokenizer.Version);
        json.WriteNumber("seq_len", m.SequenceLength);
        json.WriteString("profile", profile.Name);
        json.WriteNumber("intra_op_threads", profile.Scoring.IntraOpThreads);
        json.WriteBoolean("cpu_arena", profile.Scoring.CpuArena);
        json.WriteNumber("mflops_per_decision_graph", flops.Flops / 1e6);
        json.WriteNumber("matmul_nodes", flops.MatMuls);
        json.WriteNumber("matmul_nodes_upper_bounded", flops.UpperBounded);
        json.WriteNumber("matmul_nodes_uncounted", flops.Uncounted);
        if (m.Student?.MflopsPerDecision is double manifestMflops) json.WriteNumber("mflops_per_decision_manifest", manifestMflops);
        else json.WriteNull("mflops_per_decision_manifest");
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteString("onnxruntime_version", Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString());
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
        return 0;
    }
}
