using FraudEdge.Core.Bundles;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FraudEdge.Core.Scoring;

/// <summary>How FraudEdge creates ONNX Runtime sessions and checks a graph against the bundle contract.</summary>
internal static class OrtSessions
{
    public static SessionOptions CreateOptions(int intraOpThreads, bool cpuArena)
    {
        var so = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            // One decision is one small graph: no parallel branches worth an inter-op pool.
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Off on small terminals: the arena keeps the peak of the largest run forever (TOOLCHAIN.md).
            EnableCpuMemArena = cpuArena,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            // Spinning workers burn a core between decisions that arrive seconds apart, on a device that
            // also runs the payment application.
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            so.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        }
        catch
        {
            so.Dispose();
            throw;
        }
        return so;
    }

    /// <summary>Creates the session; a graph ORT refuses is <see cref="BundleErrorCode.ModelInvalid"/>.</summary>
    public static InferenceSession Create(byte[] model, SessionOptions options, string source)
    {
        try
        {
            return new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new BundleException(BundleErrorCode.ModelInvalid, $"ONNX Runtime cannot load the model of {source}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Exactly one input <paramref name="inputName"/> int64 [batch, seqLen] and an output
    /// <paramref name="outputName"/> float32 [batch, 1], where batch is <paramref name="batch"/> or symbolic.
    /// </summary>
    public static void CheckGraph(InferenceSession session, string source, string inputName, string outputName, int sequenceLength, int batch)
    {
        if (session.InputMetadata.Count != 1 || !session.InputMetadata.TryGetValue(inputName, out NodeMetadata? input)
            || !IsTensor(input, TensorElementType.Int64, batch, sequenceLength))
            throw new BundleException(BundleErrorCode.ModelInvalid,
                $"the model of {source} must take exactly one input '{inputName}' int64 [{batch}, {sequenceLength}]");
        if (!session.OutputMetadata.TryGetValue(outputName, out NodeMetadata? output)
            || !IsTensor(output, TensorElementType.Float, batch, 1))
            throw new BundleException(BundleErrorCode.ModelInvalid,
                $"the model of {source} must produce '{outputName}' float32 [{batch}, 1]");
    }

    private static bool IsTensor(NodeMetadata node, TensorElementType type, int batch, int width) =>
        node.IsTensor && node.ElementDataType == type && node.Dimensions.Length == 2
        && (node.Dimensions[0] == batch || node.Dimensions[0] == -1) && node.Dimensions[1] == width;
}
