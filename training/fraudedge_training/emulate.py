"""A small numpy interpreter for the exported graphs: the parity reference (no onnxruntime in Python).

It evaluates the real ONNX file node by node, so parity vectors describe the shipped bytes, not a
second model written alongside. Integer ops are exact; float ops run in float32 as ORT does.

`per_sample=True` runs N sequences through the batch-1 graph at once, as N independent batch-1 calls:
DynamicQuantizeLinear then takes min/max per sample (the true ONNX semantics on a batch would share one
scale across the whole batch, which is what model.batch.onnx really does; `per_sample=False`).
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper

F32 = np.float32


def _attrs(node: onnx.NodeProto) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def dynamic_quantize_linear(x: np.ndarray, per_sample: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ONNX DynamicQuantizeLinear exactly as ORT computes it (GetQuantizationParameter + MlasQuantizeLinear):
    scale = (max(0, max x) - min(0, min x)) / 255, zp = sat(rhe(0 - min/scale)), q = sat(rhe(x/scale) + zp)."""
    axes = tuple(range(1, x.ndim)) if per_sample else None
    lo = np.minimum(x.min(axis=axes, keepdims=per_sample), F32(0)).astype(F32)
    hi = np.maximum(x.max(axis=axes, keepdims=per_sample), F32(0)).astype(F32)
    scale = np.where(hi == lo, F32(1), (hi - lo) / F32(255)).astype(F32)
    zp = np.rint(np.clip(F32(0) - lo / scale, F32(0), F32(255))).astype(np.uint8)  # rint = half to even
    q = np.clip(np.rint(x / scale) + zp.astype(F32), 0, 255).astype(np.uint8)
    return q, scale, zp


def matmul_integer(a: np.ndarray, b: np.ndarray, a_zp=None, b_zp=None) -> np.ndarray:
    """int32 result of (a - a_zp) @ (b - b_zp), computed with float BLAS but exactly: every product and
    partial sum is an integer of magnitude <= 255 * 255 * K, exactly representable in float32 while that
    stays below 2**24 (K <= 258), and in float64 for any realistic K. Order of summation cannot matter."""
    dt = np.float32 if 255 * 255 * a.shape[-1] < 2 ** 24 else np.float64
    af = a.astype(dt) - (dt(0) if a_zp is None else np.asarray(a_zp).astype(dt))
    bf = b.astype(dt) - (dt(0) if b_zp is None else np.asarray(b_zp).astype(dt))
    return _matmul(af, bf).astype(np.int32)


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if b.ndim == 2:  # one big GEMM instead of a stack of small ones
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(*a.shape[:-1], b.shape[-1])
    return a @ b


def _layer_norm(x, scale, bias, axis=-1, epsilon=1e-5):
    # float32 like ORT; summation order differs from ORT's, a ~1e-7 relative effect.
    axes = tuple(range(axis % x.ndim, x.ndim))
    c = x - x.mean(axis=axes, keepdims=True)
    var = (c * c).mean(axis=axes, keepdims=True)
    return (c / np.sqrt(var + F32(epsilon)) * scale + bias).astype(F32, copy=False)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e.astype(F32, copy=False)


def _reshape(x, shape, allowzero=0):
    shape = [x.shape[i] if (s == 0 and not allowzero) else int(s) for i, s in enumerate(shape)]
    return x.reshape(shape)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    sl = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        sl[int(a)] = slice(int(s), int(min(e, np.iinfo(np.int64).max)), int(st))
    return x[tuple(sl)]


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    y = F32(alpha) * ((a.T if transA else a) @ (b.T if transB else b))
    return (y + F32(beta) * c if c is not None else y).astype(F32)


def _gather(x, i, axis=0):
    if np.ndim(i) == 0:  # scalar index: a view, no copy (q/k/v picks, [CLS] row)
        return x[(slice(None),) * (axis % x.ndim) + (int(i),)]
    return np.take(x, i, axis=axis)


def _per_row(t, ndim: int):
    """A DynamicQuantizeLinear scale or zero point against a result of rank `ndim`: per-sample mode keeps one
    value per batch row ([N, 1, ...] of the input's rank), which must still line up after a Gather dropped an axis."""
    t = np.asarray(t)
    return t if t.size == 1 else t.reshape((-1,) + (1,) * (ndim - 1))


def _mm_int_to_float(a, b, a_scale, b_scale, a_zp=None, b_zp=None, bias=None):
    """com.microsoft MatMulIntegerToFloat: (a - a_zp) @ (b - b_zp) in int32, times a_scale * b_scale, plus bias;
    the same operations in the same order as DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul -> Mul -> Add."""
    y = matmul_integer(a, b, None if a_zp is None else _per_row(a_zp, a.ndim), b_zp).astype(F32)
    y = y * (_per_row(a_scale, a.ndim) * b_scale)
    return y if bias is None else bias + y


def _attention(q, k, v, heads: int, scale: float):
    """Multi-head scaled dot-product attention, q [N, Lq, D], k/v [N, Lk, D] -> [N, Lq, D]."""
    n, lq, d = q.shape
    split = lambda t: t.reshape(n, t.shape[1], heads, d // heads).transpose(0, 2, 1, 3)
    s = split(q) @ split(k).transpose(0, 1, 3, 2)
    if scale != 1.0:
        s = s * s.dtype.type(scale)
    return (_softmax(s) @ split(v)).transpose(0, 2, 1, 3).reshape(n, lq, d)


def _q_attention(x_q, w, bias, x_scale, w_scale, mask=None, x_zp=None, w_zp=None, num_heads=1, scale=0.0, **_):
    """com.microsoft QAttention (no mask, no past): int8 QKV projection, then attention; scale 0 = 1/sqrt(d_head)."""
    qkv = _mm_int_to_float(x_q, w, x_scale, w_scale, x_zp, w_zp, bias)
    d = qkv.shape[-1] // 3
    return _attention(qkv[..., :d], qkv[..., d:2 * d], qkv[..., 2 * d:], num_heads,
                      scale or 1.0 / np.sqrt(d // num_heads))


def _mha(q, k, v, *_, num_heads=1, scale=0.0, **__):
    """com.microsoft MultiHeadAttention with separate Q, K, V [N, L, D] (no bias, mask or past)."""
    return _attention(q, k, v, num_heads, scale or 1.0 / np.sqrt(q.shape[-1] // num_heads))


def _cast(x, to):
    return x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to])  # onnx 1.12 API


OPS = {
    "Add": lambda a, b: a + b, "Sub": lambda a, b: a - b, "Mul": lambda a, b: a * b, "Div": lambda a, b: a / b,
    "MatMul": lambda a, b: _matmul(a, b).astype(F32), "Relu": lambda x: np.maximum(x, F32(0)),
    "Identity": lambda x: x, "Gemm": _gemm, "Softmax": _softmax, "LayerNormalization": _layer_norm,
    "Reshape": _reshape, "Transpose": lambda x, perm: np.transpose(x, perm), "Slice": _slice,
    "Gather": _gather, "Cast": _cast,
    "Squeeze": lambda x, axes=None: np.squeeze(x, tuple(axes)) if axes is not None else np.squeeze(x),
    "Unsqueeze": lambda x, axes: np.expand_dims(x, tuple(axes)),
    "MatMulInteger": matmul_integer,
    "MatMulIntegerToFloat": _mm_int_to_float, "QAttention": _q_attention, "MultiHeadAttention": _mha,
}


# Float ops that "rounded" mode evaluates in float64 and rounds back to float32 (see run()).
_FLOAT_OPS = {"Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Softmax", "LayerNormalization",
              "MatMulIntegerToFloat", "QAttention", "MultiHeadAttention", "DynamicQuantizeMatMul"}


def run(model: onnx.ModelProto, feeds: dict[str, np.ndarray], per_sample: bool = True,
        rounded: bool = False, trace: list | None = None) -> dict[str, np.ndarray]:
    """Evaluate the graph. `rounded=True` computes each float op in float64 and rounds its result to
    float32: a second, equally valid float32 implementation (like ORT's, its rounding differs from
    numpy's float32 summation order). Comparing both finds inputs whose int8 result hangs on a
    rounding tie inside DynamicQuantizeLinear, where any two runtimes may legitimately disagree.
    `trace`, if given, receives (node, input shapes, output shapes) per node (graph_stats counts FLOPs with it)."""
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        args = [env[i] if i else None for i in node.input]
        if rounded and node.op_type in _FLOAT_OPS:
            args = [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype == F32 else a for a in args]
        at = _attrs(node)
        if node.op_type == "DynamicQuantizeLinear":
            outs = dynamic_quantize_linear(args[0], per_sample)
        elif node.op_type == "DynamicQuantizeMatMul":  # com.microsoft: DynamicQuantizeLinear + MatMulIntegerToFloat
            x, b, b_scale, b_zp, bias = (args + [None] * 5)[:5]
            xq, xs, xz = dynamic_quantize_linear(x.astype(F32), per_sample)
            outs = (_mm_int_to_float(xq, b, xs, b_scale, xz, b_zp, bias),)
        elif node.op_type == "Split":
            sizes = args[1] if len(args) > 1 else None
            n = len(node.output)
            cuts = np.cumsum(sizes)[:-1] if sizes is not None else n
            outs = np.split(args[0], cuts, axis=at.get("axis", 0))
        elif node.op_type in ("Reshape", "Slice", "Squeeze", "Unsqueeze"):
            x, *rest = args
            rest = [None if r is None else r.tolist() for r in rest]
            outs = (OPS[node.op_type](x, *rest, **at),)
        elif node.op_type in OPS:
            outs = (OPS[node.op_type](*args, **at),)
        else:
            raise NotImplementedError(f"emulator has no {node.op_type}")
        if node.op_type == "LayerNormalization":
            outs = outs[:1]
        if rounded and node.op_type in _FLOAT_OPS:
            outs = [o.astype(F32) for o in outs]
        for name, val in zip(node.output, outs):
            env[name] = val
        if trace is not None:
            trace.append((node, [None if a is None else np.shape(a) for a in args], [np.shape(o) for o in outs]))
    return {o.name: env[o.name] for o in model.graph.output}


def logits(model: onnx.ModelProto, tokens: np.ndarray, per_sample: bool = True, chunk: int = 2048,
           rounded: bool = False) -> np.ndarray:
    """Logits [N] for int tokens [N, L] (chunked to bound memory)."""
    name, out = model.graph.input[0].name, model.graph.output[0].name
    parts = [run(model, {name: tokens[i:i + chunk].astype(np.int64)}, per_sample, rounded)[out].reshape(-1)
             for i in range(0, len(tokens), chunk)]
    return np.concatenate(parts).astype(F32)
