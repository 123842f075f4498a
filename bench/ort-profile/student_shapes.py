"""Untrained students of other shapes through the real export -> int8 -> fuse path, for ort-profile: what a smaller
student would cost per decision before anyone spends a training run on it (bench/README.md, "Kernel by kernel").

    /usr/bin/python3 bench/ort-profile/student_shapes.py OUT_DIR [d_model:heads:d_ff:layers[:seq_len] ...]
    dotnet bench/ort-profile/bin/Release/net10.0/ort-profile.dll OUT_DIR/*.onnx

Random weights: the time of a run does not depend on them; the quality does, and is not measured here.
"""
import os
import sys

import onnx

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "training"))
from fraudedge_training.export import export_fp32
from fraudedge_training.fuse import fuse_int8
from fraudedge_training.models import Encoder, EncoderConfig
from fraudedge_training.quantize import quantize_model

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/student-shapes"
shapes = sys.argv[2:] or ["64:4:128:2", "48:4:96:2", "32:4:64:2", "64:4:64:2"]
os.makedirs(out, exist_ok=True)
for spec in shapes:
    d, h, ff, layers, seq_len = ([int(x) for x in spec.split(":")] + [48])[:5]
    cfg = EncoderConfig(vocab_size=283, seq_len=seq_len, d_model=d, heads=h, d_ff=ff, layers=layers, dropout=0.0)
    unfused, _ = quantize_model(export_fp32(Encoder(cfg, seed=1), False))
    path = os.path.join(out, f"student-d{d}-h{h}-ff{ff}-l{layers}-L{seq_len}.onnx")
    onnx.save(fuse_int8(unfused, h), path)
    print(path)
