"""torch -> ONNX (fp32) for the student, static batch 1 and dynamic batch."""
from __future__ import annotations

import io
import warnings

import onnx
import torch

from .models import Encoder, fold_attention_scale

OPSET = 17  # LayerNormalization is a single node from opset 17 on (instead of ~9 primitive ops)
INPUT, OUTPUT = "tokens", "logit"


def export_fp32(model: Encoder, dynamic_batch: bool) -> onnx.ModelProto:
    """Export the eval-mode model with 1/sqrt(dh) folded into Q.

    Static batch 1 gives ORT fixed shapes to plan with; the model code uses literal -1 for the batch
    dimension of every reshape, so neither variant contains Shape/Gather/Concat shape arithmetic.
    """
    deploy = fold_attention_scale(model)
    dummy = torch.full((1, model.cfg.seq_len), 2, dtype=torch.int64)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about python-int shapes are intended
        torch.onnx.export(
            deploy, dummy, buf, input_names=[INPUT], output_names=[OUTPUT], opset_version=OPSET,
            do_constant_folding=True,
            dynamic_axes={INPUT: {0: "batch"}, OUTPUT: {0: "batch"}} if dynamic_batch else None)
    m = onnx.load_from_string(buf.getvalue())
    _tidy(m)
    onnx.checker.check_model(m)
    if not dynamic_batch:
        shape_ops = [n.op_type for n in m.graph.node if n.op_type in ("Shape", "ConstantOfShape", "Expand")]
        assert not shape_ops, f"static graph should have no shape arithmetic, found {shape_ops}"
    return m


def _tidy(m: onnx.ModelProto) -> None:
    """Fewer nodes: Constant nodes become initializers, and Identity nodes the exporter emits when two
    weights happen to be equal (e.g. untrained LayerNorm gains) are replaced by direct references.
    Then drop unused initializers and set a producer string."""
    g = m.graph
    inits = {t.name for t in g.initializer}
    alias, nodes = {}, []
    for n in g.node:
        ins = [alias.get(i, i) for i in n.input]
        if n.op_type == "Identity" and ins[0] in inits:
            alias[n.output[0]] = ins[0]
            continue
        if n.op_type == "Constant" and n.attribute[0].name == "value":
            t = onnx.TensorProto()
            t.CopyFrom(n.attribute[0].t)
            t.name = n.output[0]
            g.initializer.append(t)
            inits.add(t.name)
            continue
        del n.input[:]
        n.input.extend(ins)
        nodes.append(n)
    del g.node[:]
    g.node.extend(nodes)
    for o in g.output:
        assert o.name not in alias, "graph output produced by a removed Identity"
    used = {i for n in m.graph.node for i in n.input}
    keep = [t for t in m.graph.initializer if t.name in used]
    del m.graph.initializer[:]
    m.graph.initializer.extend(keep)
    m.producer_name = "fraudedge-training"
    m.doc_string = "FraudEdge student: fe-tok-1 tokens -> fraud logit (apply manifest Platt calibration)"
