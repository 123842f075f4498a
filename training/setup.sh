#!/usr/bin/env bash
# Install the Python stack for training/ from Debian (PyPI is not reachable from our build machines).
# Idempotent: returns at once when everything is already importable by /usr/bin/python3.
set -euo pipefail

PKGS=(python3-torch python3-onnx python3-numpy python3-xgboost python3-pytest python3-cryptography
      # Debian's torch and numpy link the generic libblas.so.3; without OpenBLAS that is the reference
      # BLAS, measured ~8x slower for teacher training. Installing it switches the alternative.
      libopenblas0-pthread)
PY=/usr/bin/python3
CHECK='import torch, onnx, numpy, xgboost, pytest, cryptography'

if "$PY" -c "$CHECK" 2>/dev/null && dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
    echo "training/setup.sh: dependencies already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "training/setup.sh: need root or sudo for apt-get" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "training/setup.sh: apt-get update failed" >&2; exit 1; }
if ! $SUDO apt-get install -y -qq "${PKGS[@]}" >/tmp/fraudedge-training-apt.log 2>&1; then
    tail -20 /tmp/fraudedge-training-apt.log >&2
    echo "training/setup.sh: apt-get install failed (full log: /tmp/fraudedge-training-apt.log)" >&2
    exit 1
fi
"$PY" -c "$CHECK" || { echo "training/setup.sh: packages installed but $PY cannot import them" >&2; exit 1; }
"$PY" -c 'import torch, onnx, numpy, xgboost; print("torch", torch.__version__, "onnx", onnx.__version__, "numpy", numpy.__version__, "xgboost", xgboost.__version__)'
