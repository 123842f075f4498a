#!/usr/bin/python3
"""Builds the TEST fixture bundle used by FraudEdge.Core.Tests (Bundles/ and Scoring/).

    /usr/bin/python3 tests/FraudEdge.Core.Tests/Fixtures/make_fixture_bundle.py

Why a fixture of our own: the bundle loader and the scorer must be testable before (and independently of)
the real model from training/. The fixture follows docs/dataset-and-bundle.md (fe-bundle-1) exactly, except
that the model is a tiny float32 graph (embedding + positional embedding -> mean -> tanh -> linear), so
the parity reference below can be computed with numpy alone.

Outputs (all TEST ONLY, never a production trust anchor):
  bundle/                          a complete fe-bundle-1 folder (model.onnx, model.batch.onnx,
                                   manifest.json, manifest.sig, parity.json)
  slow/model.onnx                  same input/output contract, deliberately slow (a chain of 512x512
                                   MatMuls) so a deadline test can watch RunOptions.Terminate fire
  fixture-signing.TEST.key.pem     throwaway P-256 private key (PKCS#8), reused if present so re-running
  fixture-signing.TEST.pub.pem     the script does not churn the committed fixture key

Needs Debian's python3-onnx, python3-numpy and python3-cryptography; call /usr/bin/python3.
"""
import base64
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.join(HERE, "bundle")
SLOW = os.path.join(HERE, "slow")
KEY = os.path.join(HERE, "fixture-signing.TEST.key.pem")
PUB = os.path.join(HERE, "fixture-signing.TEST.pub.pem")

SEQ_LEN = 48
VOCAB = 512  # above fe-tok-1's vocabulary (283 ids today), which the loader requires it to cover
DIM = 16
OPSET = 13  # ReduceMean/ReduceSum with an `axes` attribute; well inside what ORT 1.31 runs


def tiny_weights():
    rng = np.random.default_rng(20261128)
    return {
        "embedding": (rng.standard_normal((VOCAB, DIM)) * 0.5).astype(np.float32),
        "position": (rng.standard_normal((SEQ_LEN, DIM)) * 0.1).astype(np.float32),
        "head_w": (rng.standard_normal((DIM, 1)) * 0.8).astype(np.float32),
        "head_b": np.array([-1.5], dtype=np.float32),
    }


def tiny_model(weights, batch):
    """tokens int64 [batch, 48] -> logit float32 [batch, 1]."""
    inits = [numpy_helper.from_array(v, name=k) for k, v in weights.items()]
    inits.append(numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), name="logit_shape"))
    nodes = [
        helper.make_node("Gather", ["embedding", "tokens"], ["emb"], axis=0),
        helper.make_node("Add", ["emb", "position"], ["emb_pos"]),
        helper.make_node("ReduceMean", ["emb_pos"], ["pooled"], axes=[1], keepdims=0),
        helper.make_node("Tanh", ["pooled"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "head_w"], ["proj"]),
        helper.make_node("Add", ["proj", "head_b"], ["raw"]),
        helper.make_node("Reshape", ["raw", "logit_shape"], ["logit"]),
    ]
    graph = helper.make_graph(
        nodes, "fraudedge-fixture",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, [batch, SEQ_LEN])],
        [helper.make_tensor_value_info("logit", TensorProto.FLOAT, [batch, 1])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="fraudedge-fixture (TEST)")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def reference_logits(weights, tokens):
    """numpy float32 emulation of tiny_model, the parity reference."""
    emb = weights["embedding"][tokens] + weights["position"][None, :, :]
    hidden = np.tanh(emb.mean(axis=1, dtype=np.float32))
    return (hidden @ weights["head_w"] + weights["head_b"]).reshape(-1)


def slow_model(size=512, depth=32):
    """Same contract as the real model, but ~depth x size^3 MACs: a run takes long enough for a
    millisecond-resolution watchdog to terminate it between two MatMul nodes. The weight is a
    ConstantOfShape (tiny file); the input feeds the chain so constant folding cannot remove it."""
    nodes = [
        helper.make_node("ConstantOfShape", ["w_shape"], ["w"],
                         value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0 / size])),
        helper.make_node("Cast", ["tokens"], ["tokens_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["tokens_f"], ["token_sum"], keepdims=1),
        helper.make_node("Mul", ["token_sum", "tiny"], ["bias"]),
        helper.make_node("Add", ["w", "bias"], ["a0"]),
    ]
    for i in range(depth):
        nodes.append(helper.make_node("MatMul", [f"a{i}", "w"], [f"a{i + 1}"]))
    nodes.append(helper.make_node("ReduceSum", [f"a{depth}"], ["logit"], keepdims=1))
    inits = [
        numpy_helper.from_array(np.array([size, size], dtype=np.int64), name="w_shape"),
        numpy_helper.from_array(np.array(1e-6, dtype=np.float32), name="tiny"),
    ]
    graph = helper.make_graph(
        nodes, "fraudedge-slow-fixture",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, SEQ_LEN])],
        [helper.make_tensor_value_info("logit", TensorProto.FLOAT, [1, 1])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="fraudedge-slow-fixture (TEST)")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def signing_key():
    if os.path.exists(KEY):
        with open(KEY, "rb") as f:
            return serialization.load_pem_private_key(f.read(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    with open(KEY, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return key


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    os.makedirs(BUNDLE, exist_ok=True)
    os.makedirs(SLOW, exist_ok=True)
    weights = tiny_weights()
    onnx.save(tiny_model(weights, 1), os.path.join(BUNDLE, "model.onnx"))
    onnx.save(tiny_model(weights, "batch"), os.path.join(BUNDLE, "model.batch.onnx"))
    onnx.save(slow_model(), os.path.join(SLOW, "model.onnx"))

    rng = np.random.default_rng(7)
    seqs = [np.zeros(SEQ_LEN, dtype=np.int64),                 # all [PAD]
            np.full(SEQ_LEN, VOCAB - 1, dtype=np.int64)]        # highest id
    seqs += [rng.integers(0, VOCAB, SEQ_LEN, dtype=np.int64) for _ in range(14)]
    tokens = np.stack(seqs)
    logits = reference_logits(weights, tokens)
    parity = {
        "reference": "numpy float32 emulation of the fixture graph (TEST fixture)",
        "tolerance_abs": 1e-4,
        "vectors": [{"tokens": [int(t) for t in row], "logit": float(l)} for row, l in zip(tokens, logits)],
    }
    with open(os.path.join(BUNDLE, "parity.json"), "w", encoding="utf-8") as f:
        json.dump(parity, f)
        f.write("\n")

    key = signing_key()
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    with open(PUB, "wb") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))

    manifest = {
        "format": "fe-bundle-1",
        "name": "fraudedge-fixture",
        "version": "0.0.1-test",
        "created_utc": "2026-11-28T00:00:00Z",
        "tokenizer": "fe-tok-1",
        "seq_len": SEQ_LEN,
        "vocab_size": VOCAB,
        "input_name": "tokens",
        "output_name": "logit",
        "precision": "float32",
        "files": {name: sha256_file(os.path.join(BUNDLE, name))
                  for name in ("model.onnx", "parity.json", "model.batch.onnx")},
        "calibration": {"method": "platt", "a": 1.0, "b": 0.0},
        "thresholds": {"review": 0.2, "deny": 0.6, "target_review_rate": 0.01, "target_deny_rate": 0.002},
        "metrics": {"test": {"average_precision": 0.0, "roc_auc": 0.5}},
        "student": {"parameters": int(sum(v.size for v in weights.values())), "layers": 0, "d_model": DIM,
                    "heads": 0, "d_ff": 0, "size_bytes": os.path.getsize(os.path.join(BUNDLE, "model.onnx")),
                    "mflops_per_decision": 0.0},
        "teacher": {"description": "none: TEST fixture with random weights", "parameters": 0, "layers": 0,
                    "d_model": 0},
        "training": {"dataset_sha256": "0" * 64, "seed": 20261128, "quick": True},
        "signing_key_id": hashlib.sha256(spki).hexdigest()[:16],
    }
    manifest_bytes = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    with open(os.path.join(BUNDLE, "manifest.json"), "wb") as f:
        f.write(manifest_bytes)
    signature = key.sign(manifest_bytes, ec.ECDSA(hashes.SHA256()))  # DER (RFC 3279) by default
    with open(os.path.join(BUNDLE, "manifest.sig"), "w", encoding="ascii") as f:
        f.write(base64.b64encode(signature).decode("ascii") + "\n")
    print(f"fixture bundle written to {BUNDLE} (key id {manifest['signing_key_id']}, TEST ONLY)")


if __name__ == "__main__":
    main()
