"""Rebuild the batch-1 int8 graph with ONNX Runtime's fused CPU kernels: same weights, same quantization.

quantize_model() leaves the exporter's graph: per block a fused-QKV projection followed by Reshape, Split,
three Squeeze, three Transpose (one more Slice in the [CLS]-only block), two MatMuls, Softmax, Transpose and
Reshape — 50 kernels after ORT's own fusions, most of them moving a [48, 64] tensor once more. On a small
model each kernel's fixed cost and each pass over the activations outweighs the multiply-adds
(bench/README.md "Kernel by kernel"), so this module writes the graph ORT runs fastest, by measurement:

  full block      LayerNorm -> DynamicQuantizeLinear -> QAttention (int8 QKV GEMMs + attention, one kernel)
                  -> DynamicQuantizeMatMul (out) -> Add -> LayerNorm -> DQMatMul -> Relu -> DQMatMul -> Add
  [CLS]-only      LayerNorm -> DynamicQuantizeLinear, shared by two MatMulIntegerToFloat: Q on the [CLS] row,
  block           K and V on every row -> Split -> MultiHeadAttention (one query) -> the same tail on one row

The numbers are those of the unfused graph: every projection quantizes the same activation with the same
DynamicQuantizeLinear parameters (the [CLS] query reuses the whole sequence's scale and zero point, as the
fused-QKV projection did), multiplies the same int8 weights exactly in int32, and scales by the same
per-column factors; only the float rounding order of bias, softmax and attention sums differs (~1e-6 on a
logit, pipeline-checked). Attention's 1/sqrt(d_head) stays folded into the Q weights: both attention
kernels get scale=1.

SkipLayerNormalization (Add + LayerNorm in one contrib kernel) is deliberately not used: ORT 1.31's CPU
kernel measured ~5x slower than the two ops it replaces on [48, 64].
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MS = "com.microsoft"


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._names: set[str] = set()

    def const(self, name: str, value) -> str:
        if name not in self._names:
            self._names.add(name)
            self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], outputs: list[str], name: str, domain: str = "", **attrs) -> list[str]:
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, domain=domain, **attrs))
        return outputs


class _Weights:
    """The int8 graph's tensors by role, found through the nodes that use them, which carry the torch module
    path (`/blocks.0/qkv/MatMul_mmi`, `/blocks.0/qkv/Add`, `/blocks.0/ln1/LayerNormalization`): the exporter may
    have merged equal initializers under one name, so tensor names alone are not trusted."""

    def __init__(self, model: onnx.ModelProto):
        self.t = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        self.by_role: dict[str, str] = {}
        self.eps: dict[str, float] = {}
        for n in model.graph.node:
            path = n.name.strip("/").rsplit("/", 1)[0].replace("/", ".")  # "/blocks.0/qkv/Add" -> "blocks.0.qkv"
            if n.op_type == "MatMulInteger" and n.name.endswith("/MatMul_mmi"):
                self.by_role[path + ".w"] = n.input[1][:-len("_q")]
            elif n.op_type == "Add" and n.name.endswith("/Add") and n.input[0] in self.t:
                self.by_role[path + ".bias"] = n.input[0]
            elif n.op_type == "LayerNormalization":
                self.by_role[path + ".weight"], self.by_role[path + ".bias"] = n.input[1], n.input[2]
                self.eps[path] = next((a.f for a in n.attribute if a.name == "epsilon"), 1e-5)
        blocks = {k.split(".")[1] for k in self.by_role if k.startswith("blocks.")}
        self.layers = len(blocks)
        if blocks != {str(i) for i in range(self.layers)}:
            raise ValueError(f"unexpected block numbering {sorted(blocks)}: not a graph from export_fp32 + quantize_model")

    def int8(self, block: int, role: str) -> tuple[np.ndarray, np.ndarray]:
        base = self.by_role[f"blocks.{block}.{role}.w"]
        return self.t[base + "_q"], self.t[base + "_scale"]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.t[self.by_role.get(name, name)]


def fuse_int8(model: onnx.ModelProto, heads: int) -> onnx.ModelProto:
    """The fused batch-1 graph of an int8 student produced by export_fp32(static) + quantize_model."""
    w = _Weights(model)
    g = _Graph()
    seq_len = model.graph.input[0].type.tensor_type.shape.dim[1].dim_value
    d = w["tok.weight"].shape[1]
    if d % heads:
        raise ValueError(f"d_model {d} is not a multiple of {heads} heads")

    def layer_norm(x: str, prefix: str, out: str) -> str:
        gamma, beta = g.const(prefix + ".weight", w[prefix + ".weight"]), g.const(prefix + ".bias", w[prefix + ".bias"])
        return g.node("LayerNormalization", [x, gamma, beta], [out], out, axis=-1, epsilon=w.eps[prefix])[0]

    def dq_matmul(x: str, block: int, role: str, out: str) -> str:
        q, s = w.int8(block, role)
        ins = [x, g.const(f"blocks.{block}.{role}.w_int8", q), g.const(f"blocks.{block}.{role}.w_scale", s), "",
               g.const(f"blocks.{block}.{role}.bias", w[f"blocks.{block}.{role}.bias"])]
        return g.node("DynamicQuantizeMatMul", ins, [out], out, MS)[0]

    def feed_forward(x: str, b: int, rows: str) -> str:
        h = layer_norm(x, f"blocks.{b}.ln2", f"b{b}.ln2{rows}")
        f = dq_matmul(h, b, "ff1", f"b{b}.ff1{rows}")
        f = g.node("Relu", [f], [f"b{b}.relu{rows}"], f"b{b}.relu{rows}")[0]
        f = dq_matmul(f, b, "ff2", f"b{b}.ff2{rows}")
        return g.node("Add", [x, f], [f"b{b}.resid2{rows}"], f"b{b}.resid2{rows}")[0]

    x = g.node("Gather", [g.const("tok.weight", w["tok.weight"]), "tokens"], ["embed"], "embed")[0]
    x = g.node("Add", [x, g.const("pos", w["pos"])], ["embed_pos"], "embed_pos")[0]
    row0 = g.const("cls_row", np.array(0, np.int64))
    for b in range(w.layers):
        h = layer_norm(x, f"blocks.{b}.ln1", f"b{b}.ln1")
        hq, hs, hz = g.node("DynamicQuantizeLinear", [h], [f"b{b}.ln1_q", f"b{b}.ln1_scale", f"b{b}.ln1_zp"], f"b{b}.dql")
        wq, ws = w.int8(b, "qkv")
        bias = w[f"blocks.{b}.qkv.bias"]
        if b < w.layers - 1:  # every position attends and is kept
            ins = [hq, g.const(f"blocks.{b}.qkv.w_int8", wq), g.const(f"blocks.{b}.qkv.bias", bias), hs,
                   g.const(f"blocks.{b}.qkv.w_scale", ws), "", hz]
            a = g.node("QAttention", ins, [f"b{b}.attn"], f"b{b}.attn", MS, num_heads=heads, scale=1.0)[0]
            x = g.node("Add", [x, dq_matmul(a, b, "out", f"b{b}.out")], [f"b{b}.resid1"], f"b{b}.resid1")[0]
            x = feed_forward(x, b, "")
            continue
        # Last block: only the [CLS] row goes on, so only it needs a query; keys and values need every row.
        q_in = g.node("Gather", [hq, row0], [f"b{b}.ln1_q_cls"], f"b{b}.ln1_q_cls", axis=1)[0]
        q = g.node("MatMulIntegerToFloat", [q_in, g.const(f"blocks.{b}.q.w_int8", wq[:, :d]), hs,
                                            g.const(f"blocks.{b}.q.w_scale", ws[:d]), hz, "",
                                            g.const(f"blocks.{b}.q.bias", bias[:d])], [f"b{b}.q"], f"b{b}.q", MS)[0]
        q = g.node("Reshape", [q, g.const("shape_1_1_d", np.array([-1, 1, d], np.int64))], [f"b{b}.q3"], f"b{b}.q3")[0]
        kv = g.node("MatMulIntegerToFloat", [hq, g.const(f"blocks.{b}.kv.w_int8", wq[:, d:]), hs,
                                             g.const(f"blocks.{b}.kv.w_scale", ws[d:]), hz, "",
                                             g.const(f"blocks.{b}.kv.bias", bias[d:])], [f"b{b}.kv"], f"b{b}.kv", MS)[0]
        k, v = g.node("Split", [kv, g.const("split_k_v", np.array([d, d], np.int64))], [f"b{b}.k", f"b{b}.v"],
                      f"b{b}.split", axis=2)
        a = g.node("MultiHeadAttention", [q, k, v], [f"b{b}.attn3"], f"b{b}.attn", MS, num_heads=heads, scale=1.0)[0]
        a = g.node("Reshape", [a, g.const("shape_1_d", np.array([-1, d], np.int64))], [f"b{b}.attn_cls"], f"b{b}.attn_cls")[0]
        x = g.node("Gather", [x, row0], [f"b{b}.x_cls"], f"b{b}.x_cls", axis=1)[0]
        x = g.node("Add", [x, dq_matmul(a, b, "out", f"b{b}.out_cls")], [f"b{b}.resid1_cls"], f"b{b}.resid1_cls")[0]
        x = feed_forward(x, b, "_cls")
    x = layer_norm(x, "norm", "final_norm")
    g.node("Gemm", [x, g.const("head.weight", w["head.weight"]), g.const("head.bias", w["head.bias"])], ["logit"],
           "head", transB=1)

    graph = helper.make_graph(g.nodes, model.graph.name, [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, seq_len])],
                              [helper.make_tensor_value_info("logit", TensorProto.FLOAT, [1, 1])], g.inits)
    opsets = [helper.make_opsetid("", next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))),
              helper.make_opsetid(MS, 1)]
    fused = helper.make_model(graph, opset_imports=opsets, producer_name=model.producer_name,
                              doc_string=model.doc_string + " [fused: QAttention / MultiHeadAttention, fuse.py]")
    fused.ir_version = model.ir_version
    onnx.checker.check_model(fused)
    return fused
