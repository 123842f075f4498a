"""Hand-written dynamic int8 quantization of weight MatMuls (no ORT Python quantizer on Debian).

Each `MatMul(x, W)` with a constant 2-D W becomes the pattern ORT's own dynamic quantizer emits, which
ORT's graph optimiser fuses into one DynamicQuantizeMatMul kernel:

    x --DynamicQuantizeLinear--> (x_q uint8, x_scale, x_zp)
    MatMulInteger(x_q, W_q int8, x_zp) -> int32 --Cast--> float32 --Mul(x_scale * w_scale)--> y

Weights: symmetric (zero point 0), one scale per output column (per-column keeps the small rows of
a weight matrix from being crushed by its largest column). The following bias Add is left as it is.

Weight range is +-63 (7 bits) by default, not +-127: ORT's x86 AVX2 u8s8 kernel (vpmaddubsw) adds
pairs of u8*s8 products in int16 with saturation; 2*255*63 = 32130 fits, 2*255*127 does not. With
+-63 the int32 results are exact on every CPU, so parity vectors and audit replays match bit-for-bit
across terminals and servers. `weight_bits=8` gives +-127 for CPUs with VNNI / ARM dot products.

Not quantized (kept fp32, and documented in the report): embedding tables (Gather), the positional
table, LayerNorm, the activation-by-activation attention MatMuls (no constant weight), and the final
Gemm head (64 -> 1: 65 parameters, no speed to gain, only error).
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_weight(w: np.ndarray, bits: int, per_column: bool) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 weights and float32 scales ([N] per column, or a scalar)."""
    qmax = 2 ** (bits - 1) - 1
    amax = np.abs(w).max(axis=0) if per_column else np.array(np.abs(w).max())
    scale = np.where(amax > 0, amax / qmax, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -qmax, qmax).astype(np.int8)
    return q, scale


def quantize_model(model: onnx.ModelProto, weight_bits: int = 7, per_column: bool = True) -> tuple[onnx.ModelProto, dict]:
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    consumers: dict[str, int] = {}
    for n in g.node:
        for i in n.input:
            consumers[i] = consumers.get(i, 0) + 1
    nodes, new_inits, dql_of, info = [], [], {}, {"matmuls": [], "weight_bits": weight_bits,
                                                   "per_column": per_column}
    for n in g.node:
        w_name = n.input[1] if n.op_type == "MatMul" else None
        if w_name not in inits or len(inits[w_name].dims) != 2:
            nodes.append(n)
            continue
        w = numpy_helper.to_array(inits[w_name]).astype(np.float32)
        q, scale = quantize_weight(w, weight_bits, per_column)
        base = n.name or n.output[0]
        new_inits += [numpy_helper.from_array(q, w_name + "_q"), numpy_helper.from_array(scale, w_name + "_scale")]
        x = n.input[0]
        if x not in dql_of:  # one DynamicQuantizeLinear per activation, shared by its MatMuls
            dql_of[x] = (x + "_q", x + "_scale", x + "_zp")
            nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(dql_of[x]), name=base + "_dql"))
        xq, xs, xz = dql_of[x]
        nodes += [
            helper.make_node("MatMulInteger", [xq, w_name + "_q", xz], [base + "_i32"], name=base + "_mmi"),
            helper.make_node("Cast", [base + "_i32"], [base + "_f32"], to=TensorProto.FLOAT, name=base + "_cast"),
            helper.make_node("Mul", [xs, w_name + "_scale"], [base + "_s"], name=base + "_scales"),
            helper.make_node("Mul", [base + "_f32", base + "_s"], [n.output[0]], name=base + "_rescale"),
        ]
        err = np.abs(q.astype(np.float32) * scale - w).max()
        info["matmuls"].append({"weight": w_name, "shape": list(w.shape), "max_abs_weight_error": float(err)})
        consumers[w_name] -= 1
    keep = [t for t in g.initializer if consumers.get(t.name, 0) > 0]
    del g.initializer[:]
    g.initializer.extend(keep + new_inits)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    return m, info
