#!/usr/bin/python3
"""Train, quantize, calibrate and sign a FraudEdge model bundle from a fe-dataset-1 folder.

    /usr/bin/python3 training/train.py --data DIR --out BUNDLE_DIR --key PEM --report REPORT.json [--quick]

Must run under Debian's /usr/bin/python3 (torch/onnx/xgboost come from apt, not PyPI).
"""
from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fraudedge_training.config import TrainConfig, quick_config  # noqa: E402


def _kv(text: str, cast) -> dict:
    """'student=4,teacher=2' -> {'student': 4, 'teacher': 2}"""
    out = {}
    for part in filter(None, text.split(",")):
        k, _, v = part.partition("=")
        if not v:
            raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {part!r}")
        out[k.strip()] = cast(v)
    return out


def parse(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="fe-dataset-1 folder written by `fraudedge dataset`")
    ap.add_argument("--out", required=True, help="bundle folder to write (model.onnx, manifest.json, ...)")
    ap.add_argument("--key", required=True, help="ECDSA P-256 private key, PKCS#8 PEM")
    ap.add_argument("--report", required=True, help="REPORT.json to write (schema: docs/training.md)")
    ap.add_argument("--quick", action="store_true", help="minutes-long run for tests and demos")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=lambda s: _kv(s, int), default={},
                    help="override epochs, e.g. pretrain=2,teacher=3,student=5 (control = student)")
    ap.add_argument("--caps", type=lambda s: _kv(s, int), default={},
                    help="override max train events per stage, e.g. pretrain=30000,teacher=24000,student=60000")
    ap.add_argument("--time-limits", type=lambda s: _kv(s, float), default={},
                    help="override wall-clock seconds per stage, e.g. pretrain=420,teacher=540,student=420 (0 = none)")
    ap.add_argument("--loss", choices=["pos_weight", "focal"], help="imbalance handling for hard labels")
    ap.add_argument("--distill-temperature", type=float)
    ap.add_argument("--distill-alpha", type=float)
    ap.add_argument("--weight-bits", type=int, choices=[7, 8], help="7 (default): exact on every x86 kernel")
    ap.add_argument("--review-rate", type=float, help="target share of val events at or above review")
    ap.add_argument("--deny-rate", type=float, help="target share of val events at or above deny")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--version", help="bundle version string")
    ap.add_argument("--checkpoints", help="folder for teacher/student/control .pt and xgboost.json "
                                           "(default: <report name>.checkpoints next to the report)")
    return ap.parse_args(argv)


def build_config(a: argparse.Namespace) -> TrainConfig:
    cfg = quick_config() if a.quick else TrainConfig()
    cfg.seed = a.seed
    unknown = (set(a.epochs) - set(cfg.epochs)) | (set(a.caps) - set(cfg.caps)) | (set(a.time_limits) - set(cfg.time_limits))  # typos must not pass silently
    if unknown:
        raise SystemExit(f"unknown stage(s) {sorted(unknown)}; epochs/time limits: {sorted(cfg.epochs)}, caps: {sorted(cfg.caps)}")
    cfg.epochs.update(a.epochs)
    cfg.caps.update(a.caps)
    cfg.time_limits.update(a.time_limits)
    for field in ("loss", "distill_temperature", "distill_alpha", "weight_bits", "review_rate", "deny_rate",
                  "threads", "version"):
        if getattr(a, field) is not None:
            setattr(cfg, field, getattr(a, field))
    return cfg


def main(argv=None) -> int:
    a = parse(argv)
    cfg = build_config(a)
    from fraudedge_training.pipeline import run  # heavy imports after argument errors

    ckpt = a.checkpoints or os.path.splitext(a.report)[0] + ".checkpoints"
    report = run(a.data, a.out, a.key, cfg, checkpoints=ckpt, log=lambda m: print(m, flush=True))
    os.makedirs(os.path.dirname(os.path.abspath(a.report)), exist_ok=True)
    with open(a.report, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, allow_nan=False)
    print(f"bundle {a.out}  report {a.report}  ({report['timings_seconds']['total']:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
