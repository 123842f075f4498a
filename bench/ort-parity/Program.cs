using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FraudEdge.Core.Policy;
using FraudEdge.Core.Scoring;

// ort-parity --model DIR --tokens FILE.npy [--limit N] --out FILE.tsv
// One line per token sequence: index, logit bits, probability bits (hex, binary32), as FraudEngine would record them.
var inv = CultureInfo.InvariantCulture;
string? modelDir = null, tokensPath = null, outPath = null;
int limit = int.MaxValue;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--model": modelDir = args[i + 1]; break;
        case "--tokens": tokensPath = args[i + 1]; break;
        case "--out": outPath = args[i + 1]; break;
        case "--limit": limit = int.Parse(args[i + 1], NumberStyles.None, inv); break;
        default: Console.Error.WriteLine($"ort-parity: unknown option {args[i]}"); return 2;
    }
}
if (modelDir is null || tokensPath is null || outPath is null)
{
    Console.Error.WriteLine("usage: ort-parity --model DIR --tokens FILE.npy [--limit N] --out FILE.tsv");
    return 2;
}

using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelDir, "manifest.json")));
JsonElement m = manifest.RootElement;
int seqLen = m.GetProperty("seq_len").GetInt32();
JsonElement calibration = m.GetProperty("calibration"), thresholds = m.GetProperty("thresholds");
var policy = new DecisionPolicy(calibration.GetProperty("a").GetDouble(), calibration.GetProperty("b").GetDouble(),
    thresholds.GetProperty("review").GetDouble(), thresholds.GetProperty("deny").GetDouble());

int[] tokens = ReadInt32Npy(tokensPath, seqLen, out int rows);
rows = Math.Min(rows, limit);
// The options every shipped profile scores with: one intra-op thread, no CPU arena, no deadline.
using var scorer = new OnnxScorer(File.ReadAllBytes(Path.Combine(modelDir, "model.onnx")), new ScorerOptions
{
    Source = "ort-parity", SequenceLength = seqLen, VocabularySize = m.GetProperty("vocab_size").GetInt32(),
    InputName = m.GetProperty("input_name").GetString()!, OutputName = m.GetProperty("output_name").GetString()!,
    IntraOpThreads = 1, CpuArena = false, DeadlineMicroseconds = 0,
});
var text = new StringBuilder(rows * 28);
for (int r = 0; r < rows; r++)
{
    ScoreStatus status = scorer.TryScore(tokens.AsSpan(r * seqLen, seqLen), out float logit);
    if (status != ScoreStatus.Ok)
    {
        Console.Error.WriteLine($"ort-parity: row {r}: {status} {scorer.LastError}");
        return 1;
    }
    // As FraudEngine decides: verdict and risk score from the double probability, the float one recorded.
    double p = policy.Calibrate(logit);
    text.Append(inv, $"{r}\t{BitConverter.SingleToUInt32Bits(logit):x8}\t{BitConverter.SingleToUInt32Bits((float)p):x8}\t{policy.VerdictFor(p)}\t{policy.RiskScore(p)}\n");
}
File.WriteAllText(outPath, text.ToString());
Console.WriteLine($"ort-parity: {rows} sequences scored ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
return 0;

// NumPy format 1.0, little-endian int32, C order, shape (rows, seqLen): what `fraudedge dataset` writes.
static int[] ReadInt32Npy(string path, int seqLen, out int rows)
{
    byte[] bytes = File.ReadAllBytes(path);
    if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY") throw new InvalidDataException($"{path}: not a .npy file");
    int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
    string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
    if (!header.Contains("'<i4'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
        throw new InvalidDataException($"{path}: expected little-endian int32 in C order: {header.Trim()}");
    int dataStart = 10 + headerLength;
    int count = (bytes.Length - dataStart) / 4;
    if (count % seqLen != 0) throw new InvalidDataException($"{path}: {count} values is not a multiple of the sequence length {seqLen}");
    rows = count / seqLen;
    var values = new int[count];
    for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(dataStart + i * 4));
    return values;
}
