"""Re-issue an existing bundle with its model.onnx rewritten onto ORT's fused kernels (fuse.py), without retraining.

    /usr/bin/python3 -m fraudedge_training.refuse SRC_BUNDLE --out DIR --version 1.1.0 --key PRIVATE.pem

The weights, quantization, calibration, thresholds and metrics are the source bundle's: fuse_int8 only changes
which ORT kernels compute them. That is checked, not assumed: every parity vector is re-run through the numpy
emulation of both graphs and must agree within 1e-5; the new parity.json holds the fused graph's own values.
model.batch.onnx (offline batch scoring) is copied unchanged. The manifest records what it was derived from, so
an auditor can tie decisions of either version to the same trained model.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys

import numpy as np
import onnx

from . import bundle, emulate
from .fuse import fuse_int8
from .graph_stats import matmul_mflops

MAX_PARITY_SHIFT = 1e-5


def refuse(src: str, out: str, version: str, key_path: str) -> dict:
    key = bundle.load_private_key(key_path)
    manifest = bundle.verify_bundle(src, key.public_key())
    unfused = onnx.load(os.path.join(src, "model.onnx"))
    fused = fuse_int8(unfused, manifest["student"]["heads"])
    with open(os.path.join(src, "parity.json"), encoding="utf-8") as f:
        parity = json.load(f)
    tokens = np.array([v["tokens"] for v in parity["vectors"]], np.int64)
    old = np.array([emulate.logits(unfused, t[None])[0] for t in tokens])
    new = np.array([emulate.logits(fused, t[None])[0] for t in tokens])
    shift = float(np.abs(new - old).max())
    if shift > MAX_PARITY_SHIFT:
        raise RuntimeError(f"fused graph moves a parity logit by {shift} > {MAX_PARITY_SHIFT}: not the same model")

    os.makedirs(out, exist_ok=True)
    onnx.save(fused, os.path.join(out, "model.onnx"))
    for name in manifest["files"]:
        if name not in ("model.onnx", "parity.json"):
            shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
    for v, logit in zip(parity["vectors"], new):
        v["logit"] = float(logit)
    with open(os.path.join(out, "parity.json"), "w", encoding="utf-8") as f:
        json.dump(parity, f, indent=1)

    derived = {"version": manifest["version"], "model_sha256": manifest["files"]["model.onnx"],
               "change": "model.onnx rewritten onto ONNX Runtime fused kernels (training/fraudedge_training/fuse.py); "
                         "same int8 weights, quantization, calibration and thresholds",
               "max_abs_parity_shift": shift}
    manifest = {**manifest, "version": version,
                "created_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "files": {n: bundle.sha256_file(os.path.join(out, n)) for n in manifest["files"]},
                "student": {**manifest["student"], "size_bytes": os.path.getsize(os.path.join(out, "model.onnx")),
                            "mflops_per_decision": round(matmul_mflops(fused), 4)},
                "derived_from": derived}
    bundle.write_signed_manifest(out, manifest, key)
    return bundle.verify_bundle(out, key.public_key())


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--key", required=True, help="unencrypted P-256 private key PEM (the source must verify with it)")
    a = ap.parse_args(argv)
    if os.path.abspath(a.src) == os.path.abspath(a.out):
        ap.error("--out must differ from the source bundle")
    m = refuse(a.src, a.out, a.version, a.key)
    print(f"OK {m['name']} {m['version']} (from {m['derived_from']['version']}), parity shift "
          f"{m['derived_from']['max_abs_parity_shift']:.2e}, {m['student']['mflops_per_decision']} MFLOP/decision")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
