"""Single-kernel test graphs for ort-profile: what one ONNX Runtime CPU kernel costs on the student's [1, 48, 64]
activation (bench/README.md, "Kernel by kernel").

    /usr/bin/python3 bench/ort-profile/kernel_graphs.py OUT_DIR
    dotnet run -c Release --project bench/ort-profile -- OUT_DIR/base.onnx OUT_DIR/add.onnx ...

Each graph is tokens int64 [1, 48] -> Gather from a [283, 64] table -> the kernel under test chained 10 times ->
ReduceMean -> [1, 1]; base.onnx has no kernel under test. (time(X) - time(base)) / 10 is one kernel of X.
Weights are random; only the time matters.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CHAIN = 10
rng = np.random.default_rng(1)


def build(body):
    nodes, inits = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    const("emb", rng.normal(0, 1, (283, 64)).astype(np.float32))
    const("shape11", np.array([1, 1], np.int64))
    nodes.append(helper.make_node("Gather", ["emb", "tokens"], ["x0"]))
    x = "x0"
    for k in range(CHAIN if body else 0):
        x = body(nodes, const, x, k)
    nodes.append(helper.make_node("ReduceMean", [x], ["r"], keepdims=0))
    nodes.append(helper.make_node("Reshape", ["r", "shape11"], ["logit"]))
    graph = helper.make_graph(nodes, "kernel", [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, 48])],
                              [helper.make_tensor_value_info("logit", TensorProto.FLOAT, [1, 1])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])


def add(n, c, x, k):
    n.append(helper.make_node("Add", [x, c(f"one{k}", np.ones(64, np.float32))], [f"a{k}"]))
    return f"a{k}"


def relu(n, c, x, k):
    n.append(helper.make_node("Relu", [x], [f"a{k}"]))
    return f"a{k}"


def layer_norm(n, c, x, k):
    n.append(helper.make_node("LayerNormalization", [x, c(f"g{k}", np.ones(64, np.float32)), c(f"b{k}", np.zeros(64, np.float32))],
                              [f"a{k}"], axis=-1, epsilon=1e-5))
    return f"a{k}"


def skip_layer_norm(n, c, x, k):
    n.append(helper.make_node("SkipLayerNormalization", [x, "x0", c(f"g{k}", np.ones(64, np.float32)), c(f"b{k}", np.zeros(64, np.float32))],
                              [f"a{k}"], domain="com.microsoft", epsilon=1e-5))
    return f"a{k}"


def transpose_heads(n, c, x, k):  # [1,48,64] -> [1,48,4,16] -> [1,4,48,16] -> [1,48,64]: one real copy
    n.append(helper.make_node("Reshape", [x, c(f"s4_{k}", np.array([1, 48, 4, 16], np.int64))], [f"r{k}"]))
    n.append(helper.make_node("Transpose", [f"r{k}"], [f"t{k}"], perm=[0, 2, 1, 3]))
    n.append(helper.make_node("Reshape", [f"t{k}", c(f"s3_{k}", np.array([1, 48, 64], np.int64))], [f"a{k}"]))
    return f"a{k}"


def dq_matmul(n, c, x, k):
    w = c(f"w{k}", rng.integers(-63, 64, (64, 64)).astype(np.int8))
    n.append(helper.make_node("DynamicQuantizeMatMul", [x, w, c(f"ws{k}", np.full(64, 0.01, np.float32)), "", c(f"bb{k}", np.zeros(64, np.float32))],
                              [f"a{k}"], domain="com.microsoft"))
    return f"a{k}"


def matmul_fp32(n, c, x, k):
    n.append(helper.make_node("MatMul", [x, c(f"w{k}", rng.normal(0, 0.1, (64, 64)).astype(np.float32))], [f"a{k}"]))
    return f"a{k}"


def softmax(n, c, x, k):
    n.append(helper.make_node("Softmax", [x], [f"a{k}"], axis=-1))
    return f"a{k}"


GRAPHS = {"base": None, "add": add, "relu": relu, "layernorm": layer_norm, "skiplayernorm": skip_layer_norm,
          "transpose": transpose_heads, "dqmatmul": dq_matmul, "matmul_fp32": matmul_fp32, "softmax": softmax}

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "artifacts/kernels"
    os.makedirs(out, exist_ok=True)
    for name, body in GRAPHS.items():
        onnx.save(build(body), os.path.join(out, f"{name}.onnx"))
    print(" ".join(os.path.join(out, f"{n}.onnx") for n in GRAPHS))
