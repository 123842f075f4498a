"""Static facts about an exported graph: node counts and MFLOPs per decision."""
from __future__ import annotations

import collections

import numpy as np
import onnx
from onnx import shape_inference

MATMUL_OPS = ("MatMul", "MatMulInteger", "Gemm")


def _shape(vi: onnx.ValueInfoProto) -> list[int] | None:
    dims = vi.type.tensor_type.shape.dim
    if not all(d.HasField("dim_value") for d in dims):
        return None
    return [d.dim_value for d in dims]


def matmul_mflops(model: onnx.ModelProto) -> float:
    """2 * M * K * N summed over every MatMul / MatMulInteger / Gemm of a static-shape graph (one
    multiply-add = 2 FLOPs; element-wise ops, LayerNorm and softmax are not counted)."""
    inferred = shape_inference.infer_shapes(model)
    g = inferred.graph
    shapes = {vi.name: _shape(vi) for vi in list(g.value_info) + list(g.input) + list(g.output)}
    shapes.update({t.name: list(t.dims) for t in g.initializer})
    total = 0
    for n in g.node:
        if n.op_type not in MATMUL_OPS:
            continue
        a, b = shapes.get(n.input[0]), shapes.get(n.input[1])
        if a is None or b is None:
            raise ValueError(f"unknown shape at {n.name or n.output[0]}: is the graph static?")
        if n.op_type == "Gemm":
            at = {x.name: x.i for x in n.attribute}
            m, k = (a[::-1] if at.get("transA") else a)
            n_ = b[0] if at.get("transB") else b[1]
            total += 2 * m * k * n_
        else:
            batch = np.broadcast_shapes(tuple(a[:-2]), tuple(b[:-2])) if len(a) > 2 or len(b) > 2 else ()
            total += 2 * int(np.prod(batch)) * a[-2] * a[-1] * b[-1]
    return total / 1e6


def node_counts(model: onnx.ModelProto) -> dict:
    c = collections.Counter(n.op_type for n in model.graph.node)
    return {"total": len(model.graph.node), "by_op": dict(sorted(c.items()))}
