"""End-to-end: train.py --quick on a small synthetic dataset, then check the bundle like a terminal would.

One module-scoped training run (~1-2 min on 2 idle cores) feeds every test below.
"""
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
import pytest
import torch
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fraudedge_training import emulate
from fraudedge_training.bundle import BundleError, load_public_key, verify_bundle
from fraudedge_training.models import STUDENT_SHAPE, Encoder, EncoderConfig, count_parameters
from synthetic import make_synthetic_dataset

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = os.path.join(os.path.dirname(TRAINING), "keys", "test")
PRIV = os.path.join(KEYS, "fraudedge-test-signing.key.pem")
PUB = os.path.join(KEYS, "fraudedge-test-signing.pub.pem")

# int8 (7-bit per-column weights, uint8 dynamic activations) vs the fp32 torch student on the parity
# vectors. Measured on quick synthetic runs: max |diff| ~5e-4. The bound leaves room for better-trained
# models with larger logits, while a broken quantizer (wrong scale, transposed weights, lost bias) moves
# logits by O(1) or destroys the correlation.
INT8_VS_FP32_MAX_ABS = 0.05
INT8_VS_FP32_MIN_CORR = 0.98

CONTRACT_KEYS = {"format", "name", "version", "created_utc", "tokenizer", "seq_len", "vocab_size", "input_name",
                 "output_name", "precision", "files", "calibration", "thresholds", "metrics", "student", "teacher",
                 "training", "signing_key_id"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    data = make_synthetic_dataset(str(root / "dataset"), n_train=4000, n_val=1500, n_test=1500,
                                  fraud_rate=0.03, seed=11)
    out, report = root / "bundle", root / "report.json"
    cmd = [sys.executable, os.path.join(TRAINING, "train.py"), "--data", data, "--out", str(out), "--key", PRIV,
           "--report", str(report), "--quick", "--seed", "3",
           "--caps", "pretrain=1500,teacher=1500,student=3000,val_selection=1500"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(report) as f:
        rep = json.load(f)
    with open(out / "manifest.json", "rb") as f:
        manifest = json.loads(f.read())
    return {"bundle": out, "report": rep, "manifest": manifest, "checkpoints": root / "report.checkpoints"}


def test_bundle_files_exist(run):
    for name in ("model.onnx", "model.batch.onnx", "manifest.json", "manifest.sig", "parity.json"):
        assert (run["bundle"] / name).is_file(), name


def test_manifest_follows_contract_and_hashes_match(run):
    m = run["manifest"]
    assert CONTRACT_KEYS <= set(m)
    assert (m["format"], m["tokenizer"], m["seq_len"], m["precision"]) == ("fe-bundle-1", "fe-tok-1", 48, "int8")
    assert (m["input_name"], m["output_name"]) == ("tokens", "logit")
    assert set(m["files"]) == {"model.onnx", "parity.json", "model.batch.onnx"}
    for name, digest in m["files"].items():
        assert hashlib.sha256((run["bundle"] / name).read_bytes()).hexdigest() == digest, name
    assert 0 < m["thresholds"]["review"] <= m["thresholds"]["deny"] < 1
    assert m["calibration"]["method"] == "platt" and m["calibration"]["a"] > 0


def test_signature_verifies_with_public_key(run):
    with open(PUB, "rb") as f:
        pub = serialization.load_pem_public_key(f.read())
    data = (run["bundle"] / "manifest.json").read_bytes()
    sig = base64.b64decode((run["bundle"] / "manifest.sig").read_text().strip(), validate=True)
    pub.verify(sig, data, ec.ECDSA(hashes.SHA256()))  # raises on failure
    spki = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert run["manifest"]["signing_key_id"] == hashlib.sha256(spki).hexdigest()[:16]
    verify_bundle(str(run["bundle"]), load_public_key(PUB))


def test_tampered_bundle_fails_verification(run, tmp_path):
    pub = load_public_key(PUB)
    bad = tmp_path / "manifest"
    shutil.copytree(run["bundle"], bad)
    text = (bad / "manifest.json").read_text()
    (bad / "manifest.json").write_text(text.replace('"deny": 0.', '"deny": 0.9', 1))  # loosen the deny threshold
    with pytest.raises(InvalidSignature):
        pub.verify(base64.b64decode((bad / "manifest.sig").read_text()), (bad / "manifest.json").read_bytes(),
                   ec.ECDSA(hashes.SHA256()))
    with pytest.raises(BundleError, match="signature"):
        verify_bundle(str(bad), pub)
    swapped = tmp_path / "model"
    shutil.copytree(run["bundle"], swapped)
    blob = bytearray((swapped / "model.onnx").read_bytes())
    blob[-10] ^= 1
    (swapped / "model.onnx").write_bytes(bytes(blob))
    with pytest.raises(BundleError, match="model.onnx"):
        verify_bundle(str(swapped), pub)


def test_model_is_int8_static_and_small(run):
    path = run["bundle"] / "model.onnx"
    assert path.stat().st_size <= 1 << 20
    m = onnx.load(str(path))
    ops = [n.op_type for n in m.graph.node]
    # The fused graph (fuse.py): every weight product runs an int8 kernel on int8 weights.
    layers = STUDENT_SHAPE["layers"]
    assert {"DynamicQuantizeLinear", "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "MultiHeadAttention"} <= set(ops)
    assert ("QAttention" in ops) == (layers > 1)  # only blocks before the [CLS]-only last one attend from every row
    inits = {t.name: t for t in m.graph.initializer}
    assert not [n for n in m.graph.node if n.op_type == "MatMul" and n.input[1] in inits], "fp32 weight MatMul left"
    weights = [n.input[1] for n in m.graph.node if n.op_type in ("QAttention", "DynamicQuantizeMatMul", "MatMulIntegerToFloat")]
    assert len(weights) == 4 * layers + 1 and all(inits[w].data_type == onnx.TensorProto.INT8 for w in weights)
    assert not {"Shape", "ConstantOfShape", "Expand"} & set(ops), "static graph must not compute shapes"
    (inp,), (out,) = m.graph.input, m.graph.output
    dims = lambda v: [d.dim_value for d in v.type.tensor_type.shape.dim]
    assert (inp.name, inp.type.tensor_type.elem_type, dims(inp)) == ("tokens", onnx.TensorProto.INT64, [1, 48])
    assert (out.name, out.type.tensor_type.elem_type, dims(out)) == ("logit", onnx.TensorProto.FLOAT, [1, 1])
    batch = onnx.load(str(run["bundle"] / "model.batch.onnx"))
    assert batch.graph.input[0].type.tensor_type.shape.dim[0].dim_param  # symbolic batch dimension


def _student(run) -> Encoder:
    ck = torch.load(run["checkpoints"] / "student.pt")
    model = Encoder(EncoderConfig(**ck["config"]), seed=0)
    model.load_state_dict(ck["state_dict"])
    return model.eval()


def test_parity_vectors_are_what_the_int8_graph_computes(run):
    parity = json.loads((run["bundle"] / "parity.json").read_text())
    assert parity["tolerance_abs"] == 1e-3 and len(parity["vectors"]) == 32
    tokens = np.array([v["tokens"] for v in parity["vectors"]], np.int64)
    expected = np.array([v["logit"] for v in parity["vectors"]], np.float32)
    assert tokens.shape == (32, 48)
    graph = onnx.load(str(run["bundle"] / "model.onnx"))
    again = np.array([emulate.logits(graph, tokens[i:i + 1])[0] for i in range(len(tokens))])
    assert np.array_equal(again, expected)  # deterministic reference: bit-identical on re-run


def test_int8_emulation_is_close_to_torch_fp32(run):
    parity = json.loads((run["bundle"] / "parity.json").read_text())
    tokens = torch.tensor([v["tokens"] for v in parity["vectors"]])
    int8 = np.array([v["logit"] for v in parity["vectors"]])
    with torch.no_grad():
        fp32 = _student(run)(tokens).squeeze(1).numpy()
    assert np.abs(int8 - fp32).max() <= INT8_VS_FP32_MAX_ABS
    assert np.corrcoef(int8, fp32)[0, 1] >= INT8_VS_FP32_MIN_CORR


def test_student_size_and_report(run):
    student = _student(run)
    n = count_parameters(student)
    assert n <= 250_000 and n == run["manifest"]["student"]["parameters"]
    rep = run["report"]
    for name in ("teacher", "student_fp32", "student_int8", "control", "xgboost"):
        t = rep["models"][name]["test"]
        for key in ("average_precision", "roc_auc", "recall_at_fpr_0_1pct", "recall_at_fpr_1pct",
                    "card_precision_at_100_per_day", "typology_recall_at_deny"):
            assert key in t, (name, key)
        assert len(t["typology_recall_at_deny"]) == 7
    assert rep["models"]["teacher"]["parameters"] > n
    assert rep["models"]["teacher"]["pretraining"]["epochs"]  # MLM pretraining happened
    assert rep["distillation"]["temperature"] > 0
    # Quick mode trains for seconds, so only coarse quality checks: the signal is learnable (xgboost), the
    # shipped model ranks better than chance, and int8 did not change its ranking materially.
    auc = {k: rep["models"][k]["test"]["roc_auc"] for k in ("xgboost", "student_fp32", "student_int8")}
    assert auc["xgboost"] > 0.7, auc
    assert auc["student_int8"] > 0.55, auc
    assert abs(auc["student_int8"] - auc["student_fp32"]) < 0.03, auc
