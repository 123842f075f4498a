using System.Buffers.Binary;
using System.Text;

namespace FraudEdge.ComputeFloor;

/// <summary>
/// Counts the multiply-add FLOPs of one batch-1 run of an ONNX graph: 2·M·K·N for every MatMul,
/// MatMulInteger and Gemm (weights × activations and activations × activations, e.g. attention's QKᵀ and
/// AV), and for ONNX Runtime's fused kernels that the shipped graph uses (DynamicQuantizeMatMul,
/// MatMulIntegerToFloat, QAttention, MultiHeadAttention) the same products they compute inside. Elementwise ops, softmax and normalisation are left out: for a transformer they are a few percent.
/// Shapes come from a small shape propagation over the ops such models use (Gather, elementwise with
/// broadcasting, Reshape with constant shapes, Transpose, reductions, Squeeze/Unsqueeze, quantisation…),
/// starting from the graph input with any symbolic dimension taken as 1 (batch 1). A MatMul whose input
/// shape cannot be derived is counted with M = the sequence length, an upper bound, and reported.
/// A minimal protobuf reader: only the fields of onnx.proto this needs.
/// </summary>
public sealed class OnnxFlops
{
    public double Flops { get; private set; }
    public int MatMuls { get; private set; }
    public int UpperBounded { get; private set; }
    /// <summary>MatMul/Gemm nodes whose input shapes could not be derived at all: counted as 0 FLOPs and reported.</summary>
    public int Uncounted { get; private set; }
    public List<string> Lines { get; } = [];

    private readonly Dictionary<string, long[]> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _int64Values = new(StringComparer.Ordinal);

    public static OnnxFlops Count(byte[] model, int sequenceLength)
    {
        var result = new OnnxFlops();
        ReadOnlySpan<byte> graph = default;
        foreach (var f in Fields(model)) if (f.Number == 7) graph = f.Bytes(model);
        var nodes = new List<Node>();
        var graphBytes = graph.ToArray();
        foreach (var f in Fields(graphBytes))
        {
            switch (f.Number)
            {
                case 1: nodes.Add(Node.Parse(f.Bytes(graphBytes).ToArray())); break;
                case 5: result.AddTensor(f.Bytes(graphBytes).ToArray()); break;
                case 11: result.AddInput(f.Bytes(graphBytes).ToArray()); break;
            }
        }
        foreach (Node node in nodes) result.Visit(node, sequenceLength);
        return result;
    }

    private void AddTensor(byte[] tensor, string? nameOverride = null)
    {
        var dims = new List<long>();
        string name = "";
        int dataType = 0;
        byte[]? raw = null;
        var int64s = new List<long>();
        foreach (var f in Fields(tensor))
        {
            switch (f.Number)
            {
                case 1: if (f.WireType == 2) dims.AddRange(PackedVarints(f.Bytes(tensor))); else dims.Add((long)f.Varint); break;
                case 2: dataType = (int)f.Varint; break;
                case 7: if (f.WireType == 2) int64s.AddRange(PackedVarints(f.Bytes(tensor))); else int64s.Add((long)f.Varint); break;
                case 8: name = Encoding.UTF8.GetString(f.Bytes(tensor)); break;
                case 9: raw = f.Bytes(tensor).ToArray(); break;
            }
        }
        name = nameOverride ?? name;
        _shapes[name] = [.. dims];
        if (dataType == 7) // INT64: shapes for Reshape, axes for Squeeze/Unsqueeze
        {
            if (raw is not null)
            {
                var values = new long[raw.Length / 8];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8));
                _int64Values[name] = values;
            }
            else
            {
                _int64Values[name] = [.. int64s];
            }
        }
    }

    private void AddInput(byte[] valueInfo)
    {
        string name = "";
        var dims = new List<long>();
        foreach (var f in Fields(valueInfo))
        {
            if (f.Number == 1) name = Encoding.UTF8.GetString(f.Bytes(valueInfo));
            if (f.Number != 2) continue;
            byte[] type = f.Bytes(valueInfo).ToArray();
            foreach (var t in Fields(type))
            {
                if (t.Number != 1) continue;
                byte[] tensorType = t.Bytes(type).ToArray();
                foreach (var tt in Fields(tensorType))
                {
                    if (tt.Number != 2) continue;
                    byte[] shape = tt.Bytes(tensorType).ToArray();
                    foreach (var d in Fields(shape))
                    {
                        if (d.Number != 1) continue;
                        byte[] dim = d.Bytes(shape).ToArray();
                        long value = 1; // symbolic (dim_param) → batch 1
                        foreach (var dv in Fields(dim)) if (dv.Number == 1) value = (long)dv.Varint;
                        dims.Add(value);
                    }
                }
            }
        }
        if (!_shapes.ContainsKey(name)) _shapes[name] = [.. dims];
    }

    private long[]? Shape(string name) => name.Length > 0 && _shapes.TryGetValue(name, out long[]? s) ? s : null;

    private void Visit(Node n, int sequenceLength)
    {
        PropagateValues(n);
        long[]? a = n.Inputs.Count > 0 ? Shape(n.Inputs[0]) : null;
        long[]? b = n.Inputs.Count > 1 ? Shape(n.Inputs[1]) : null;
        long[]? output = null;
        switch (n.OpType)
        {
            case "Constant":
                if (n.TensorAttribute is byte[] t) AddTensor(t, n.Outputs[0]);
                return;
            case "MatMul" or "MatMulInteger" or "FusedMatMul" or "DynamicQuantizeMatMul" or "MatMulIntegerToFloat":
            {
                MatMuls++;
                if (a is { Length: >= 1 } && b is { Length: >= 2 })
                {
                    long k = a[^1], nOut = b[^1];
                    long m = a.Length >= 2 ? a[^2] : 1;
                    long batch = 1;
                    long[] batchA = a.Length > 2 ? a[..^2] : [], batchB = b.Length > 2 ? b[..^2] : [];
                    long[] batchShape = Broadcast(batchA, batchB) ?? batchA;
                    foreach (long d in batchShape) batch *= d;
                    double flops = 2.0 * batch * m * k * nOut;
                    Flops += flops;
                    Lines.Add($"{n.OpType,-14} [{string.Join('x', a)}] x [{string.Join('x', b)}] = {flops / 1e6:G6} MFLOP");
                    output = [.. batchShape, m, nOut];
                }
                else if (b is { Length: 2 })
                {
                    UpperBounded++;
                    double flops = 2.0 * sequenceLength * b[0] * b[1];
                    Flops += flops;
                    Lines.Add($"{n.OpType,-14} [? x {b[0]}] x [{b[0]}x{b[1]}] ≤ {flops / 1e6:G6} MFLOP (rows unknown: seq_len assumed)");
                }
                else
                {
                    Uncounted++;
                    Lines.Add($"{n.OpType,-14} shapes unknown: NOT counted");
                }
                break;
            }
            case "QAttention" or "MultiHeadAttention":
            {
                // ORT contrib attention (training/fraudedge_training/fuse.py): QAttention projects x [B,L,D] with
                // W [D,3D'] inside the kernel; both then do QKᵀ and AV: 2·2·B·Lq·Lk·D'.
                MatMuls++;
                long[]? k = n.OpType == "MultiHeadAttention" ? b : a;
                if (a is { Length: 3 } && k is { Length: 3 } && (n.OpType == "MultiHeadAttention" || b is { Length: 2 }))
                {
                    long batch = a[0], lq = a[1], lk = k[1];
                    long width = n.OpType == "QAttention" ? b![1] / 3 : a[2];
                    double projection = n.OpType == "QAttention" ? 2.0 * batch * lq * a[2] * b![1] : 0;
                    double attention = 4.0 * batch * lq * lk * width;
                    Flops += projection + attention;
                    Lines.Add($"{n.OpType,-14} [{string.Join('x', a)}] heads over {lk} keys = {(projection + attention) / 1e6:G6} MFLOP"
                              + (projection > 0 ? $" (QKV projection {projection / 1e6:G6})" : ""));
                    output = [batch, lq, width];
                }
                else
                {
                    Uncounted++;
                    Lines.Add($"{n.OpType,-14} shapes unknown: NOT counted");
                }
                break;
            }
            case "Split":
                if (a is not null && n.Inputs.Count > 1 && _int64Values.TryGetValue(n.Inputs[1], out long[]? sizes)
                    && sizes.Length == n.Outputs.Count)
                {
                    long axis = n.Int("axis") ?? 0;
                    if (axis < 0) axis += a.Length;
                    for (int i = 0; i < sizes.Length; i++)
                    {
                        long[] part = (long[])a.Clone();
                        part[axis] = sizes[i];
                        _shapes[n.Outputs[i]] = part;
                    }
                }
                return;
            case "Gemm":
            {
                MatMuls++;
                if (a is { Length: 2 } && b is { Length: 2 })
                {
                    bool ta = n.Int("transA") == 1, tb = n.Int("transB") == 1;
                    long m = ta ? a[1] : a[0], k = ta ? a[0] : a[1], nOut = tb ? b[0] : b[1];
                    double flops = 2.0 * m * k * nOut;
                    Flops += flops;
                    Lines.Add($"Gemm           [{m}x{k}] x [{k}x{nOut}] = {flops / 1e6:G6} MFLOP");
                    output = [m, nOut];
                }
                else
                {
                    Uncounted++;
                    Lines.Add("Gemm           shapes unknown: NOT counted");
                }
                break;
            }
            case "DynamicQuantizeLinear":
                // y has x's shape; y_scale and y_zero_point are scalars (ONNX operator spec). Without them the
                // dequantising Mul after every MatMulInteger loses its shape, and so does everything downstream.
                output = a;
                for (int i = 1; i < n.Outputs.Count; i++) _shapes[n.Outputs[i]] = [];
                break;
            case "Gather":
                if (a is not null && b is not null)
                {
                    long axis = n.Int("axis") ?? 0;
                    if (axis < 0) axis += a.Length;
                    output = [.. a[..(int)axis], .. b, .. a[(int)(axis + 1)..]];
                }
                break;
            case "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Where" or "Max" or "Min" or "Equal":
            {
                output = a;
                for (int i = 1; i < n.Inputs.Count && output is not null; i++)
                    output = Shape(n.Inputs[i]) is long[] s ? Broadcast(output, s) : null;
                break;
            }
            case "Reshape":
                if (a is not null && n.Inputs.Count > 1 && _int64Values.TryGetValue(n.Inputs[1], out long[]? target))
                {
                    long total = 1;
                    foreach (long d in a) total *= d;
                    var shape = new long[target.Length];
                    long known = 1;
                    int infer = -1;
                    for (int i = 0; i < target.Length; i++)
                    {
                        shape[i] = target[i] == 0 && i < a.Length ? a[i] : target[i];
                        if (shape[i] == -1) infer = i; else known *= shape[i];
                    }
                    if (infer >= 0 && known > 0) shape[infer] = total / known;
                    output = shape;
                }
                break;
            case "Slice":
                if (a is not null && n.Inputs.Count >= 3 && _int64Values.TryGetValue(n.Inputs[1], out long[]? starts)
                    && _int64Values.TryGetValue(n.Inputs[2], out long[]? ends))
                {
                    long[]? axes = n.Inputs.Count > 3 && _int64Values.TryGetValue(n.Inputs[3], out long[]? ax) ? ax : null;
                    long[]? steps = n.Inputs.Count > 4 && _int64Values.TryGetValue(n.Inputs[4], out long[]? st) ? st : null;
                    var shape = (long[])a.Clone();
                    for (int i = 0; i < starts.Length; i++)
                    {
                        int axis = (int)(axes is null ? i : axes[i] < 0 ? axes[i] + a.Length : axes[i]);
                        long dim = a[axis], step = steps?[i] ?? 1;
                        long s0 = Math.Clamp(starts[i] < 0 ? starts[i] + dim : starts[i], 0, dim);
                        long e0 = Math.Clamp(ends[i] < 0 ? ends[i] + dim : ends[i], 0, dim);
                        shape[axis] = step > 0 ? Math.Max(0, (e0 - s0 + step - 1) / step) : Math.Max(0, (s0 - e0 - step - 1) / -step);
                    }
                    output = shape;
                }
                break;
            case "ConstantOfShape":
                if (n.Inputs.Count > 0 && _int64Values.TryGetValue(n.Inputs[0], out long[]? dims)) output = dims;
                break;
            case "Transpose":
                if (a is not null)
                {
                    long[]? perm = n.Ints("perm");
                    output = new long[a.Length];
                    for (int i = 0; i < a.Length; i++) output[i] = perm is null ? a[a.Length - 1 - i] : a[perm[i]];
                }
                break;
            case "ReduceMean" or "ReduceSum" or "ReduceMax":
                if (a is not null)
                {
                    long[]? axes = n.Ints("axes") ?? (n.Inputs.Count > 1 && _int64Values.TryGetValue(n.Inputs[1], out long[]? ax) ? ax : null);
                    bool keep = (n.Int("keepdims") ?? 1) == 1;
                    var shape = new List<long>();
                    for (int i = 0; i < a.Length; i++)
                    {
                        bool reduced = axes is null || Array.Exists(axes, x => (x < 0 ? x + a.Length : x) == i);
                        if (!reduced) shape.Add(a[i]);
                        else if (keep) shape.Add(1);
                    }
                    output = [.. shape];
                }
                break;
            case "Unsqueeze" or "Squeeze":
                if (a is not null)
                {
                    long[]? axes = n.Ints("axes") ?? (n.Inputs.Count > 1 && _int64Values.TryGetValue(n.Inputs[1], out long[]? ax) ? ax : null);
                    if (n.OpType == "Squeeze")
                    {
                        var shape = new List<long>();
                        for (int i = 0; i < a.Length; i++)
                            if (!(axes is null ? a[i] == 1 : Array.Exists(axes, x => (x < 0 ? x + a.Length : x) == i))) shape.Add(a[i]);
                        output = [.. shape];
                    }
                    else if (axes is not null)
                    {
                        var shape = new List<long>(a);
                        int rank = a.Length + axes.Length;
                        foreach (long x in axes.Select(x => x < 0 ? x + rank : x).Order()) shape.Insert((int)x, 1);
                        output = [.. shape];
                    }
                }
                break;
            case "Flatten":
                if (a is not null)
                {
                    long axis = n.Int("axis") ?? 1;
                    long left = 1, right = 1;
                    for (int i = 0; i < a.Length; i++) { if (i < axis) left *= a[i]; else right *= a[i]; }
                    output = [left, right];
                }
                break;
            default:
                // Shape-preserving: activations, normalisation, softmax, casts, quantise/dequantise.
                if (n.OpType is "Relu" or "Gelu" or "Tanh" or "Sigmoid" or "Erf" or "Sqrt" or "Softmax" or "LayerNormalization"
                    or "Cast" or "Dropout" or "Identity" or "QuantizeLinear" or "DequantizeLinear"
                    or "Neg" or "Exp" or "Log" or "Abs" or "Not" or "SkipLayerNormalization" or "BiasGelu" or "FastGelu")
                    output = a;
                break;
        }
        if (output is not null && n.Outputs.Count > 0 && !_int64Values.ContainsKey(n.Outputs[0])) _shapes[n.Outputs[0]] = output;
    }

    /// <summary>
    /// Constant-folds the small int64 tensors exporters use to compute shapes at run time
    /// (Shape → Gather → Unsqueeze → Concat → Reshape), so Reshape targets — and with them the shapes of
    /// attention's MatMuls — are known.
    /// </summary>
    private void PropagateValues(Node n)
    {
        if (n.Outputs.Count == 0) return;
        long[]? V(int i) => i < n.Inputs.Count && _int64Values.TryGetValue(n.Inputs[i], out long[]? v) ? v : null;
        long[]? result = null;
        long[]? shape = null;
        switch (n.OpType)
        {
            case "Shape":
                if (Shape(n.Inputs[0]) is long[] s) { result = s; shape = [s.Length]; }
                break;
            case "Gather":
                if (V(0) is long[] data && V(1) is long[] idx && (n.Int("axis") ?? 0) == 0)
                {
                    result = idx.Select(i => data[(int)(i < 0 ? i + data.Length : i)]).ToArray();
                    shape = Shape(n.Inputs[1]) ?? [result.Length];
                }
                break;
            case "Unsqueeze" or "Squeeze" or "Cast" or "Identity":
                if (V(0) is long[] v)
                {
                    result = v;
                    shape = n.OpType is "Unsqueeze" ? [v.Length] : n.OpType is "Squeeze" && v.Length == 1 ? [] : Shape(n.Inputs[0]);
                }
                break;
            case "Concat":
            {
                var all = new List<long>();
                for (int i = 0; i < n.Inputs.Count; i++)
                {
                    if (V(i) is not long[] part) { all = null; break; }
                    all.AddRange(part);
                }
                if (all is not null) { result = [.. all]; shape = [all.Count]; }
                else
                {
                    // Shape of a general Concat along its axis.
                    long axis = n.Int("axis") ?? 0;
                    long[]? first = Shape(n.Inputs[0]);
                    if (first is not null)
                    {
                        int ax = (int)(axis < 0 ? axis + first.Length : axis);
                        var sum = (long[])first.Clone();
                        for (int i = 1; i < n.Inputs.Count && sum is not null; i++)
                        {
                            if (Shape(n.Inputs[i]) is long[] other && other.Length == sum.Length) sum[ax] += other[ax];
                            else sum = null;
                        }
                        if (sum is not null) _shapes[n.Outputs[0]] = sum;
                    }
                }
                break;
            }
            case "Mul" or "Div" or "Add" or "Sub":
                if (V(0) is long[] x && V(1) is long[] y && (x.Length == y.Length || x.Length == 1 || y.Length == 1))
                {
                    int len = Math.Max(x.Length, y.Length);
                    result = new long[len];
                    for (int i = 0; i < len; i++)
                    {
                        long p = x[x.Length == 1 ? 0 : i], q = y[y.Length == 1 ? 0 : i];
                        result[i] = n.OpType switch { "Mul" => p * q, "Div" => q == 0 ? 0 : p / q, "Add" => p + q, _ => p - q };
                    }
                    shape = x.Length >= y.Length ? Shape(n.Inputs[0]) : Shape(n.Inputs[1]);
                }
                break;
            case "Slice":
                if (V(0) is long[] d && V(1) is long[] starts && V(2) is long[] ends && starts.Length == 1)
                {
                    long st = starts[0] < 0 ? starts[0] + d.Length : Math.Min(starts[0], d.Length);
                    long en = ends[0] < 0 ? ends[0] + d.Length : Math.Min(ends[0], d.Length);
                    result = d[(int)st..(int)Math.Max(st, en)];
                    shape = [result.Length];
                }
                break;
        }
        if (result is null) return;
        _int64Values[n.Outputs[0]] = result;
        if (shape is not null) _shapes[n.Outputs[0]] = shape;
    }

    private static long[]? Broadcast(long[] x, long[] y)
    {
        int rank = Math.Max(x.Length, y.Length);
        var r = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long dx = i < rank - x.Length ? 1 : x[i - (rank - x.Length)];
            long dy = i < rank - y.Length ? 1 : y[i - (rank - y.Length)];
            if (dx != dy && dx != 1 && dy != 1) return null;
            r[i] = Math.Max(dx, dy);
        }
        return r;
    }

    private sealed class Node
    {
        public List<string> Inputs { get; } = [];
        public List<string> Outputs { get; } = [];
        public string OpType { get; private set; } = "";
        public byte[]? TensorAttribute { get; private set; }
        private readonly Dictionary<string, long> _ints = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long[]> _intLists = new(StringComparer.Ordinal);

        public long? Int(string name) => _ints.TryGetValue(name, out long v) ? v : null;
        public long[]? Ints(string name) => _intLists.TryGetValue(name, out long[]? v) ? v : null;

        public static Node Parse(byte[] bytes)
        {
            var node = new Node();
            foreach (var f in Fields(bytes))
            {
                switch (f.Number)
                {
                    case 1: node.Inputs.Add(Encoding.UTF8.GetString(f.Bytes(bytes))); break;
                    case 2: node.Outputs.Add(Encoding.UTF8.GetString(f.Bytes(bytes))); break;
                    case 4: node.OpType = Encoding.UTF8.GetString(f.Bytes(bytes)); break;
                    case 5: node.ParseAttribute(f.Bytes(bytes).ToArray()); break;
                }
            }
            return node;
        }

        private void ParseAttribute(byte[] bytes)
        {
            string name = "";
            long? i = null;
            var ints = new List<long>();
            byte[]? tensor = null;
            foreach (var f in Fields(bytes))
            {
                switch (f.Number)
                {
                    case 1: name = Encoding.UTF8.GetString(f.Bytes(bytes)); break;
                    case 3: i = (long)f.Varint; break;
                    case 5: tensor = f.Bytes(bytes).ToArray(); break;
                    case 8: if (f.WireType == 2) ints.AddRange(PackedVarints(f.Bytes(bytes))); else ints.Add((long)f.Varint); break;
                }
            }
            if (i is long v) _ints[name] = v;
            if (ints.Count > 0) _intLists[name] = [.. ints];
            if (tensor is not null && name == "value") TensorAttribute = tensor;
        }
    }

    private readonly record struct Field(int Number, int WireType, ulong Varint, int Offset, int Length)
    {
        public ReadOnlySpan<byte> Bytes(byte[] source) => source.AsSpan(Offset, Length);
    }

    private static List<Field> Fields(byte[] data)
    {
        var fields = new List<Field>();
        int pos = 0;
        while (pos < data.Length)
        {
            ulong key = ReadVarint(data, ref pos);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: fields.Add(new Field(number, wire, ReadVarint(data, ref pos), 0, 0)); break;
                case 1: fields.Add(new Field(number, wire, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos)), pos, 8)); pos += 8; break;
                case 2:
                {
                    int length = (int)ReadVarint(data, ref pos);
                    fields.Add(new Field(number, wire, 0, pos, length));
                    pos += length;
                    break;
                }
                case 5: fields.Add(new Field(number, wire, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos)), pos, 4)); pos += 4; break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire} at byte {pos}");
            }
        }
        return fields;
    }

    private static List<long> PackedVarints(ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        var values = new List<long>();
        int pos = 0;
        while (pos < copy.Length) values.Add((long)ReadVarint(copy, ref pos));
        return values;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("malformed varint");
    }
}
