"""Fast checks of the pieces whose exact numbers the C# side depends on."""
import json
import os

import numpy as np
import pytest

from fraudedge_training import emulate, metrics
from fraudedge_training.calibrate import fit_platt, sigmoid, thresholds
from fraudedge_training.data import DatasetError, load_dataset
from fraudedge_training.quantize import quantize_weight
from synthetic import make_synthetic_dataset


def test_dynamic_quantize_linear_matches_onnx_definition():
    x = np.array([[-1.0, 0.0, 0.5, 2.0, 1.0039216]], np.float32)
    q, scale, zp = emulate.dynamic_quantize_linear(x, per_sample=False)
    assert scale == np.float32(3.0) / np.float32(255)                  # (2 - (-1)) / 255
    assert zp == 85                                                    # rhe(1 / scale) = rhe(85.0)
    assert q.tolist() == [[0, 85, 127, 255, 170]]                      # 0.5 / scale = 42.49.. -> 42, + 85
    # exact ties round half to even: scale is exactly 1 here
    q, scale, zp = emulate.dynamic_quantize_linear(np.array([0.0, 2.5, 3.5, 255.0], np.float32), per_sample=False)
    assert scale == 1 and zp == 0 and q.tolist() == [0, 2, 4, 255]
    # all-positive input: range is widened to include 0, zero point 0
    q, scale, zp = emulate.dynamic_quantize_linear(np.array([1.0, 3.0], np.float32), per_sample=False)
    assert zp == 0 and q.tolist() == [85, 255]
    # per-sample mode quantizes each row with its own range
    both = np.array([[-1.0, 2.0], [0.0, 10.0]], np.float32)
    q, scale, zp = emulate.dynamic_quantize_linear(both, per_sample=True)
    assert scale.reshape(-1).tolist() == [np.float32(3) / np.float32(255), np.float32(10) / np.float32(255)]


def test_matmul_integer_is_exact():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (37, 128)).astype(np.uint8)
    b = rng.integers(-127, 128, (128, 64)).astype(np.int8)
    exact = (a.astype(np.int64) - 200) @ b.astype(np.int64)
    assert np.array_equal(emulate.matmul_integer(a, b, np.uint8(200)), exact)


def test_weight_quantization_is_symmetric_and_bounded():
    w = np.random.default_rng(1).normal(0, 0.1, (64, 32)).astype(np.float32)
    for bits, qmax in ((7, 63), (8, 127)):
        q, s = quantize_weight(w, bits, per_column=True)
        assert q.dtype == np.int8 and s.shape == (32,)
        assert np.abs(q).max() == qmax and np.abs(q).max(axis=0).min() == qmax  # every column uses its range
        assert np.abs(q * s - w).max() <= s.max() / 2 + 1e-7


def test_metrics_on_hand_computed_examples():
    s = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([1, 0, 1, 0, 0, 1])
    assert metrics.average_precision(s, y) == pytest.approx((1 + 2 / 3 + 3 / 6) / 3)
    assert metrics.roc_auc(s, y) == pytest.approx(5 / 9)
    assert metrics.roc_auc(np.array([0.5, 0.5, 0.1, 0.5]), np.array([1, 0, 0, 1])) == pytest.approx(0.75)
    # 1000 negatives: 0.1 % FPR allows exactly 1 negative above the threshold
    neg = np.arange(1000) / 1000.0
    s = np.r_[neg, [0.9985, 0.5]]
    y = np.r_[np.zeros(1000), [1, 1]]
    assert metrics.recall_at_fpr(s, y, 0.001) == 0.5


def test_card_precision_per_day():
    # day 1: cards 1 (fraud), 2; day 2: card 3 only (no fraud). k=1 -> day1 1.0, day2 0.0
    s = np.array([0.9, 0.1, 0.5]); y = np.array([1, 0, 0])
    day = np.array([1, 1, 2]); card = np.array([1, 2, 3])
    assert metrics.card_precision_at_k(s, y, day, card, k=1) == 0.5


def test_platt_and_thresholds():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 2, 200_000)
    y = rng.random(len(z)) < sigmoid(0.7 * z - 4)
    a, b = fit_platt(z, y)
    assert a == pytest.approx(0.7, abs=0.03) and b == pytest.approx(-4, abs=0.1)
    t = thresholds(z, a, b, review_rate=0.01, deny_rate=0.002)
    p = sigmoid(a * z + b)
    assert np.mean(p >= t["review"]) == pytest.approx(0.01, abs=2e-4)
    assert np.mean(p >= t["deny"]) == pytest.approx(0.002, abs=1e-4)


def test_loader_rejects_contract_violations(tmp_path):
    d = make_synthetic_dataset(str(tmp_path / "ds"), 300, 100, 100, seed=3)
    load_dataset(d)  # valid
    np.save(os.path.join(d, "val.labels.npy"), np.zeros(100, np.int64))  # wrong dtype
    with pytest.raises(DatasetError, match="val.labels.npy"):
        load_dataset(d)
    np.save(os.path.join(d, "val.labels.npy"), np.zeros(100, np.uint8))
    meta = json.load(open(os.path.join(d, "dataset.json")))
    meta["tokenizer"] = "fe-tok-2"
    json.dump(meta, open(os.path.join(d, "dataset.json"), "w"))
    with pytest.raises(DatasetError, match="tokenizer"):
        load_dataset(d)


@pytest.mark.parametrize("layers", [1, 2])
def test_fused_graph_computes_the_unfused_int8_logits(layers):
    """fuse.py rewrites the int8 graph onto ORT's fused kernels; the numbers must be the unfused graph's, and
    the MFLOP count must drop by exactly the [CLS]-only block's query rows it no longer computes."""
    import torch
    from fraudedge_training.export import export_fp32
    from fraudedge_training.fuse import fuse_int8
    from fraudedge_training.graph_stats import matmul_mflops
    from fraudedge_training.models import Encoder, EncoderConfig
    from fraudedge_training.quantize import quantize_model

    cfg = EncoderConfig(vocab_size=40, seq_len=12, d_model=16, heads=4, d_ff=32, layers=layers, dropout=0.0)
    model = Encoder(cfg, seed=3)
    with torch.no_grad():  # trained-looking weights: biases and LayerNorm gains away from their initial values
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())) * 0.05)
    unfused, _ = quantize_model(export_fp32(model, False))
    fused = fuse_int8(unfused, cfg.heads)
    tokens = np.random.default_rng(0).integers(0, cfg.vocab_size, (64, cfg.seq_len))
    a, b = emulate.logits(unfused, tokens), emulate.logits(fused, tokens)
    assert np.abs(a - b).max() <= 1e-5
    ops = {n.op_type for n in fused.graph.node}
    assert {"MultiHeadAttention", "MatMulIntegerToFloat"} <= ops and ("QAttention" in ops) == (layers > 1)
    assert not ops & {"Transpose", "Squeeze", "Slice", "MatMulInteger", "SkipLayerNormalization"}
    saved = 2 * (cfg.seq_len - 1) * cfg.d_model * cfg.d_model / 1e6
    assert matmul_mflops(fused) == pytest.approx(matmul_mflops(unfused) - saved, rel=1e-9)
