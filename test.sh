#!/usr/bin/env bash
# The test command (README.md, .ci/run): installs what the tests need on a fresh Debian 12 machine,
# then runs every .NET test project and the training pipeline's pytest suite.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages: the Python training stack (PyPI is not reachable; Debian's packages are) and gcc.
if ! /usr/bin/python3 -c "import torch, onnx, numpy, xgboost, pytest, cryptography" 2>/dev/null; then
  echo "== installing the Debian packages the tests need (training/setup.sh)"
  training/setup.sh
fi

echo "== dotnet restore + build (Release)"
dotnet build FraudEdge.sln -c Release -warnaserror -nologo -v q

echo "== .NET tests"
dotnet test FraudEdge.sln -c Release --no-build --logger "console;verbosity=minimal"

echo "== training pipeline tests (pytest)"
/usr/bin/python3 -m pytest training/tests -q
