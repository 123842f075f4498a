"""Static facts about an exported graph: node counts and MFLOPs per decision."""
from __future__ import annotations

import collections

import numpy as np
import onnx

from . import emulate

MATMUL_OPS = ("MatMul", "MatMulInteger", "Gemm", "DynamicQuantizeMatMul", "MatMulIntegerToFloat")
ATTENTION_OPS = ("QAttention", "MultiHeadAttention")


def matmul_mflops(model: onnx.ModelProto) -> float:
    """2 * M * K * N summed over every matrix product of one batch-1 decision (one multiply-add = 2 FLOPs;
    element-wise ops, LayerNorm and softmax are not counted): MatMul / MatMulInteger / Gemm and ORT's
    DynamicQuantizeMatMul / MatMulIntegerToFloat, and inside QAttention its QKV projection plus, as in
    MultiHeadAttention, the score and value products (2 * 2 * Lq * Lk * D). Shapes come from running the graph
    in the numpy emulator on one [PAD]-free input, so contrib ops need no shape inference."""
    inp = model.graph.input[0]
    dims = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
    trace: list = []
    emulate.run(model, {inp.name: np.full(dims, 2, np.int64)}, trace=trace)
    total = 0
    for node, ins, outs in trace:
        if node.op_type == "Gemm":
            at = {x.name: x.i for x in node.attribute}
            m, k = (ins[0][::-1] if at.get("transA") else ins[0])
            n_ = ins[1][0] if at.get("transB") else ins[1][1]
            total += 2 * m * k * n_
        elif node.op_type in MATMUL_OPS:
            a, b = ins[0], ins[1]
            total += 2 * int(np.prod(a[:-1])) * a[-1] * b[-1] if len(b) == 2 else \
                2 * int(np.prod(np.broadcast_shapes(a[:-2], b[:-2]))) * a[-2] * a[-1] * b[-1]
        elif node.op_type == "QAttention":
            (bsz, lq, d_in), w = ins[0], ins[1]
            total += 2 * bsz * lq * d_in * w[1] + 4 * bsz * lq * lq * (w[1] // 3)
        elif node.op_type == "MultiHeadAttention":
            (bsz, lq, d), lk = ins[0], ins[1][1]
            total += 4 * bsz * lq * lk * d
    return total / 1e6


def node_counts(model: onnx.ModelProto) -> dict:
    c = collections.Counter(n.op_type for n in model.graph.node)
    return {"total": len(model.graph.node), "by_op": dict(sorted(c.items()))}
