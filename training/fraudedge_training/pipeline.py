"""The whole training run: teacher -> student/control -> xgboost -> ONNX -> int8 -> calibrate -> bundle.

Each stage is a small function; `run` wires them and assembles REPORT.json (schema: docs/training.md).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
from typing import Callable

import numpy as np
import onnx
import torch

from . import bundle, emulate, metrics
from .jsonutil import clean
from .baseline import predict_margin, train_xgboost
from .calibrate import fit_platt, sigmoid, thresholds
from .config import TrainConfig
from .data import Dataset, balanced_subset, load_dataset
from .export import export_fp32
from .graph_stats import matmul_mflops, node_counts
from .loops import predict_logits, pretrain_mlm, train_classifier
from .losses import distillation, focal, weighted_bce
from .models import STUDENT_SHAPE, TEACHER_SHAPE, Encoder, EncoderConfig, count_parameters
from .fuse import fuse_int8
from .quantize import quantize_model

MAX_MODEL_BYTES = 1 << 20
MAX_STUDENT_PARAMS = 250_000


class Timer:
    def __init__(self, log: Callable[[str], None]):
        self.seconds: dict[str, float] = {}
        self.log = log

    def __call__(self, name: str):
        timer = self

        class _Stage:
            def __enter__(self):
                timer.log(f"[{name}]")
                self.t0 = time.time()

            def __exit__(self, *exc):
                timer.seconds[name] = round(time.time() - self.t0, 2)
                timer.log(f"[{name}] {timer.seconds[name]:.1f}s")
        return _Stage()


def _pos_weight(labels: np.ndarray) -> float:
    """sqrt(neg/pos): a middle ground between no weighting and full neg/pos (not tuned; the focal
    alternative was measured against it, see docs/training.md)."""
    pos = max(1, int(labels.sum()))
    return float(np.sqrt((len(labels) - pos) / pos))


def _hard_loss(cfg: TrainConfig, pos_weight: float):
    if cfg.loss == "focal":
        return lambda s, y, t: focal(s, y)
    if cfg.loss == "pos_weight":
        return lambda s, y, t: weighted_bce(s, y, pos_weight)
    raise ValueError(f"unknown loss {cfg.loss!r}")


def val_for_selection(ds: Dataset, cfg: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """The val events used to pick each model's best epoch: all val positives plus a fixed negative sample
    (scoring the whole val split after every teacher epoch would cost minutes). Same set for every
    model. Calibration and thresholds use the full val split."""
    idx = balanced_subset(ds.val, cfg.caps["val_selection"], np.random.default_rng(cfg.seed + 7))
    return ds.val.tokens[idx], ds.val.labels[idx]


def train_teacher(ds: Dataset, cfg: TrainConfig, rng: np.random.Generator, log) -> tuple[Encoder, dict]:
    tcfg = EncoderConfig(vocab_size=ds.vocab_size, seq_len=ds.seq_len, **TEACHER_SHAPE)
    model = Encoder(tcfg, seed=cfg.seed)
    n_pre = min(len(ds.train), cfg.caps["pretrain"])
    pre_idx = np.sort(rng.choice(len(ds.train), n_pre, replace=False))
    log(f"  teacher: {count_parameters(model)} parameters, MLM on {n_pre} train sequences")
    pre = pretrain_mlm(model, ds.train.tokens[pre_idx], cfg.epochs["pretrain"], cfg.batch, cfg.lr["pretrain"],
                       cfg.seed, cfg.mask_rate, log, time_limit=cfg.time_limits["pretrain"])
    idx = balanced_subset(ds.train, cfg.caps["teacher"], rng)
    y = ds.train.labels[idx]
    pw = _pos_weight(y)
    vt, vy = val_for_selection(ds, cfg)
    fit = train_classifier(model, ds.train.tokens[idx], y, _hard_loss(cfg, pw), cfg.epochs["teacher"], cfg.batch,
                           cfg.lr["teacher"], cfg.seed, vt, vy, log=log, name="teacher",
                           time_limit=cfg.time_limits["teacher"])
    info = {"config": tcfg.as_dict(), "parameters": count_parameters(model), "pretraining": pre,
            "finetune": {**fit, "loss": cfg.loss, "pos_weight": pw, "positives": int(y.sum())}}
    return model, info


def train_student(ds: Dataset, cfg: TrainConfig, idx: np.ndarray, teacher_logits: np.ndarray | None,
                  log, name: str) -> tuple[Encoder, dict]:
    """Distilled student when teacher_logits is given, else the labels-only control. Same seed, same
    initial weights, same data order: the loss is the only difference."""
    scfg = EncoderConfig(vocab_size=ds.vocab_size, seq_len=ds.seq_len, **STUDENT_SHAPE)
    model = Encoder(scfg, seed=cfg.seed + 1000)
    y = ds.train.labels[idx]
    pw = _pos_weight(y)
    if teacher_logits is None:
        loss = _hard_loss(cfg, pw)
    else:
        T, a = cfg.distill_temperature, cfg.distill_alpha
        loss = lambda s, y_, t: distillation(s, t, y_, T, a, pw)
    vt, vy = val_for_selection(ds, cfg)
    fit = train_classifier(model, ds.train.tokens[idx], y, loss, cfg.epochs["student"], cfg.batch, cfg.lr["student"],
                           cfg.seed, vt, vy, soft=teacher_logits, log=log, name=name,
                           time_limit=cfg.time_limits["student"])
    n = count_parameters(model)
    if n > MAX_STUDENT_PARAMS:
        raise RuntimeError(f"student has {n} parameters > {MAX_STUDENT_PARAMS}")
    return model, {"config": scfg.as_dict(), "parameters": n, "train": {**fit, "pos_weight": pw}}


def pick_parity(ds: Dataset, int8_test: np.ndarray, graph: onnx.ModelProto, count: int,
                rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """A quarter highest-scoring, a quarter labelled fraud (if any), the rest random: vectors near the
    deny threshold and in the bulk, so a C# mismatch anywhere in the score range shows up.

    Candidates whose int8 logit moves by > 1e-6 when the float ops are rounded differently
    (emulate.run(rounded=True)) sit on a DynamicQuantizeLinear rounding tie; ORT may land on the other
    side of it (measured: one such flip gave 5e-4), so they are skipped. Returns (indices, skipped)."""
    count = min(count, len(ds.test))
    n = len(ds.test)
    top = np.argsort(-int8_test)[: 4 * count]
    pos = rng.permutation(np.flatnonzero(ds.test.labels == 1))[: 4 * count]
    rnd = rng.permutation(n)[: 8 * count]
    pool = np.unique(np.r_[top, pos, rnd])
    a = emulate.logits(graph, ds.test.tokens[pool])
    b = emulate.logits(graph, ds.test.tokens[pool], rounded=True)
    stable = set(pool[np.abs(a - b) <= 1e-6].tolist())
    chosen: list[int] = []
    for group, k in ((top, count // 4), (pos, count // 4), (rnd, count)):
        picks = [int(i) for i in group if i in stable and i not in chosen][:k]
        chosen += picks[: max(0, min(k, count - len(chosen)))]
    return np.array(chosen[:count], np.int64), int(len(pool) - len(stable))


def run(data_dir: str, out_dir: str, key_path: str, cfg: TrainConfig, checkpoints: str | None = None,
        log: Callable[[str], None] = print) -> dict:
    t_start = time.time()
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    timer = Timer(log)
    key = bundle.load_private_key(key_path)  # fail before an hour of training, not after

    with timer("load"):
        ds = load_dataset(data_dir)
        names = ds.typology_names()
        log(f"  {data_dir}: train {len(ds.train)} ({ds.train.positives} pos), val {len(ds.val)} "
            f"({ds.val.positives}), test {len(ds.test)} ({ds.test.positives}), vocab {ds.vocab_size}")

    with timer("teacher"):
        teacher, teacher_info = train_teacher(ds, cfg, rng, log)

    student_idx = balanced_subset(ds.train, cfg.caps["student"], rng)
    with timer("teacher_inference"):
        t_student_set = predict_logits(teacher, ds.train.tokens[student_idx])
        scores = {"teacher": (predict_logits(teacher, ds.val.tokens), predict_logits(teacher, ds.test.tokens))}

    with timer("student"):
        student, student_info = train_student(ds, cfg, student_idx, t_student_set, log, "student")
    with timer("control"):
        control, control_info = train_student(ds, cfg, student_idx, None, log, "control")
    for name, m in (("student_fp32", student), ("control", control)):
        scores[name] = (predict_logits(m, ds.val.tokens), predict_logits(m, ds.test.tokens))

    with timer("xgboost"):
        booster, xgb_info = train_xgboost(ds.train.features, ds.train.labels, ds.val.features, ds.val.labels,
                                          cfg.xgb_rounds, cfg.seed, cfg.threads)
        scores["xgboost"] = (predict_margin(booster, ds.val.features), predict_margin(booster, ds.test.features))

    with timer("export_quantize"):
        fp32_static, fp32_batch = export_fp32(student, False), export_fp32(student, True)
        # The fp32 graph must be the torch model: check on real test rows before quantizing.
        probe = ds.test.tokens[:512]
        fp32_err = float(np.abs(emulate.logits(fp32_static, probe) - scores["student_fp32"][1][:512]).max())
        if fp32_err > 1e-4:
            raise RuntimeError(f"exported fp32 graph differs from torch by {fp32_err}")
        q_unfused, q_info = quantize_model(fp32_static, cfg.weight_bits, cfg.per_column)
        q_batch, _ = quantize_model(fp32_batch, cfg.weight_bits, cfg.per_column)
        # The shipped batch-1 graph: the same int8 model on ORT's fused kernels (fuse.py); it must compute the
        # same logits as the graph it replaces, up to float rounding order.
        q_static = fuse_int8(q_unfused, student.cfg.heads)
        fuse_err = float(np.abs(emulate.logits(q_static, probe) - emulate.logits(q_unfused, probe)).max())
        if fuse_err > 1e-5:
            raise RuntimeError(f"fused int8 graph differs from the unfused one by {fuse_err}")

    with timer("int8_emulation"):
        # Per-sample DQL = what the engine computes, one event per call with model.onnx.
        scores["student_int8"] = (emulate.logits(q_static, ds.val.tokens), emulate.logits(q_static, ds.test.tokens))

    with timer("calibrate"):
        a, b = fit_platt(scores["student_int8"][0], ds.val.labels)
        thr = thresholds(scores["student_int8"][0], a, b, cfg.review_rate, cfg.deny_rate)
        log(f"  platt a={a:.4f} b={b:.4f}; review p>={thr['review']:.4f} deny p>={thr['deny']:.4f}")

    with timer("metrics"):
        results = {}
        for name, (val_s, test_s) in scores.items():
            # Every model gets its own deny threshold at the same target deny rate on val; for the shipped
            # int8 student this is exactly the manifest's deny threshold (in logit units).
            deny = metrics.threshold_at_rate(val_s, cfg.deny_rate)
            results[name] = {"test": metrics.evaluate(test_s, ds.test, deny, names),
                             "val": {"average_precision": metrics.average_precision(val_s, ds.val.labels),
                                     "roc_auc": metrics.roc_auc(val_s, ds.val.labels)}}
            t = results[name]["test"]
            log(f"  {name:13s} test AP {t['average_precision']:.4f} AUC {t['roc_auc']:.4f} "
                f"R@0.1%FPR {t['recall_at_fpr_0_1pct']:.3f} R@1%FPR {t['recall_at_fpr_1pct']:.3f} "
                f"CP@100 {t['card_precision_at_100_per_day']:.3f}")
        q_err = np.abs(scores["student_int8"][1] - scores["student_fp32"][1])
        p_int8, p_fp32 = (sigmoid(a * s + b) for s in (scores["student_int8"][1], scores["student_fp32"][1]))
        decision_flips = int(np.sum((p_int8 >= thr["deny"]) != (p_fp32 >= thr["deny"])))

    with timer("bundle"):
        os.makedirs(out_dir, exist_ok=True)
        par_idx, par_skipped = pick_parity(ds, scores["student_int8"][1], q_static, cfg.parity_count, rng)
        par_tokens = ds.test.tokens[par_idx]
        # Expected values from true batch-1 calls, one sequence at a time, exactly as the engine runs.
        par_logits = np.array([emulate.logits(q_static, par_tokens[i:i + 1])[0] for i in range(len(par_tokens))])
        par_batch = emulate.logits(q_batch, par_tokens, per_sample=False)  # what one batch call returns
        parity = {"reference": "numpy emulation of the int8 graph", "tolerance_abs": cfg.parity_tolerance,
                  "vectors": [{"tokens": [int(v) for v in t], "logit": float(l)} for t, l in zip(par_tokens, par_logits)]}
        files = {"model.onnx": q_static, "model.batch.onnx": q_batch}
        for fname, m in files.items():
            onnx.save(m, os.path.join(out_dir, fname))
        with open(os.path.join(out_dir, "parity.json"), "w", encoding="utf-8") as f:
            json.dump(parity, f, indent=1)
        size = os.path.getsize(os.path.join(out_dir, "model.onnx"))
        if size > MAX_MODEL_BYTES:
            raise RuntimeError(f"model.onnx is {size} bytes > {MAX_MODEL_BYTES}")
        mflops = matmul_mflops(q_static)
        shipped = results["student_int8"]["test"]
        manifest = {
            "format": bundle.FORMAT, "name": cfg.name, "version": cfg.version,
            "created_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tokenizer": ds.meta["tokenizer"], "seq_len": ds.seq_len, "vocab_size": ds.vocab_size,
            "input_name": "tokens", "output_name": "logit", "precision": "int8",
            "files": {n: bundle.sha256_file(os.path.join(out_dir, n)) for n in ("model.onnx", "parity.json", "model.batch.onnx")},
            "calibration": {"method": "platt", "a": a, "b": b},
            "thresholds": {k: thr[k] for k in ("review", "deny", "target_review_rate", "target_deny_rate")},
            "metrics": {"test": {k: shipped[k] for k in ("average_precision", "roc_auc", "recall_at_fpr_0_1pct",
                                                          "recall_at_fpr_1pct", "card_precision_at_100_per_day")}},
            "student": {"parameters": student_info["parameters"], "layers": student.cfg.layers,
                        "d_model": student.cfg.d_model, "heads": student.cfg.heads, "d_ff": student.cfg.d_ff,
                        "size_bytes": size, "mflops_per_decision": round(mflops, 4)},
            "teacher": {"description": teacher_description(teacher_info, cfg), "parameters": teacher_info["parameters"],
                        "layers": teacher.cfg.layers, "d_model": teacher.cfg.d_model},
            "training": {"dataset_sha256": ds.sha256, "seed": cfg.seed, "quick": cfg.quick},
            "signing_key_id": bundle.key_id(key.public_key()),
        }
        manifest = clean(manifest)  # e.g. AP is NaN on a test split without positives -> null
        bundle.write_signed_manifest(out_dir, manifest, key)
        bundle.verify_bundle(out_dir, key.public_key())  # never hand out a bundle we cannot verify

    if checkpoints:
        os.makedirs(checkpoints, exist_ok=True)
        for name, m in (("teacher", teacher), ("student", student), ("control", control)):
            torch.save({"config": m.cfg.as_dict(), "state_dict": m.state_dict()}, os.path.join(checkpoints, f"{name}.pt"))
        booster.save_model(os.path.join(checkpoints, "xgboost.json"))

    par_fp32 = scores["student_fp32"][1][par_idx]
    report = {
        "format": "fe-training-report-1",
        "created_utc": manifest["created_utc"],
        "config": cfg.as_dict(),
        "dataset": {"path": os.path.abspath(data_dir), "sha256": ds.sha256, "vocab_size": ds.vocab_size,
                    "seq_len": ds.seq_len, "typologies": {str(k): v for k, v in names.items()},
                    "splits": {s: {"events": len(getattr(ds, s)), "positives": getattr(ds, s).positives}
                               for s in ("train", "val", "test")}},
        "models": {
            "teacher": {**teacher_info, "description": manifest["teacher"]["description"], **results["teacher"]},
            "student_fp32": {**student_info, **results["student_fp32"]},
            "student_int8": {"parameters": student_info["parameters"], **results["student_int8"],
                             "note": "shipped model.onnx, scored by the numpy int8 emulation (batch-1 semantics)"},
            "control": {**control_info, **results["control"]},
            "xgboost": {**xgb_info, "features": ds.meta.get("feature_names", []), **results["xgboost"]},
        },
        "distillation": {"temperature": cfg.distill_temperature, "alpha": cfg.distill_alpha,
                         "soft_loss": "BCE(sigmoid(student/T), sigmoid(teacher/T)) * T^2",
                         "hard_loss": f"{cfg.loss} (pos_weight {student_info['train']['pos_weight']:.3f})",
                         "teacher_logits_on": f"{len(student_idx)} train events (student set)"},
        "export": {"opset": fp32_static.opset_import[0].version,
                   "fp32_graph_max_abs_diff_vs_torch": fp32_err,
                   "fused_int8_max_abs_diff_vs_unfused": fuse_err,
                   "nodes": {"fp32_static": node_counts(fp32_static), "int8_unfused": node_counts(q_unfused),
                             "int8_static": node_counts(q_static),
                             "int8_batch": node_counts(q_batch)},
                   "mflops_per_decision": mflops,
                   "size_bytes": {n: os.path.getsize(os.path.join(out_dir, n)) for n in sorted(os.listdir(out_dir))}},
        "quantization": {**q_info,
                         "kept_fp32": ["token embedding (Gather)", "positional embedding", "LayerNorm",
                                       "attention score/value MatMuls (activation x activation)", "final Gemm head (d->1)"],
                         "activations": "DynamicQuantizeLinear, uint8 asymmetric, per tensor, per call",
                         "test_abs_diff_int8_vs_fp32": {"mean": float(q_err.mean()), "p99": float(np.quantile(q_err, 0.99)),
                                                        "max": float(q_err.max())},
                         "test_deny_decision_flips_int8_vs_fp32": decision_flips},
        "calibration": {"method": "platt", "a": a, "b": b, "fitted_on": "val logits of the int8-emulated student"},
        "thresholds": thr,
        "parity": {"count": len(par_idx), "tolerance_abs": cfg.parity_tolerance,
                   "tie_candidates_skipped": par_skipped,
                   "max_abs_diff_vs_torch_fp32": float(np.abs(par_logits - par_fp32).max()),
                   "max_abs_diff_batch_graph_vs_batch1": float(np.abs(par_batch - par_logits).max()),
                   "note": "model.batch.onnx quantizes activations over the whole batch tensor, so its logits depend "
                           "slightly on batch composition; exact replays must use model.onnx"},
        "bundle": {"path": os.path.abspath(out_dir), "files": manifest["files"],
                   "signing_key_id": manifest["signing_key_id"]},
        "timings_seconds": {**timer.seconds, "total": round(time.time() - t_start, 2)},
        "environment": {"python": platform.python_version(), "torch": torch.__version__, "onnx": onnx.__version__,
                        "numpy": np.__version__, "xgboost": __import__("xgboost").__version__,
                        "torch_threads": torch.get_num_threads(), "machine": platform.machine()},
    }
    return clean(report)


def teacher_description(info: dict, cfg: TrainConfig) -> str:
    c = info["config"]
    pre = info["pretraining"]
    return (f"{c['layers']}-layer pre-LN transformer encoder, d_model {c['d_model']}, {c['heads']} heads, d_ff {c['d_ff']}, "
            f"{info['parameters']} parameters; masked-token pretraining ({pre['sequences']} train sequences, "
            f"{len(pre['epochs'])} epochs, {pre['mask_rate']:.0%} of non-pad positions masked, [CLS] never), then "
            f"fine-tuned on labels ({cfg.loss}, {info['finetune']['examples']} events, best of "
            f"{len(info['finetune']['epochs'])} epochs by val AP)")
