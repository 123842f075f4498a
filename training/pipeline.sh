#!/usr/bin/env bash
# One command for the whole model pipeline:
#   build CLI -> simulate event log -> export dataset (C# tokenizer) -> train.py -> evaluate with the C# engine.
#
#   training/pipeline.sh [--quick] [--seed N] [--days D] [--terminals T] [--work DIR] [--out BUNDLE_DIR]
#
# Budget: full <= 45 min on 2 cores, --quick a few minutes. Outputs in WORK (default training/.work/<mode>):
# events.felog, dataset/, bundle/ (unless --out), report.json, report.checkpoints/, evaluate.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY=/usr/bin/python3   # Debian's python: the one with torch/onnx (see docs/training.md)
KEY="$ROOT/keys/test/fraudedge-test-signing.key.pem"
QUICK=0; SEED=7; DAYS=""; TERMINALS=""; WORK=""; OUT=""

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --seed) SEED="$2"; shift ;;
        --days) DAYS="$2"; shift ;;
        --terminals) TERMINALS="$2"; shift ;;
        --work) WORK="$2"; shift ;;
        --out) OUT="$2"; shift ;;
        --key) KEY="$2"; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "pipeline.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

# Sizes: days = train + val + 7-day label-delay gap + 7 test days. Full: 42 days x 40 terminals
# (~530k events) with a 7-day val, so val covers a whole week like test does (weekday mix) and has
# ~2x the positives of the CLI's 3-day default for calibration and thresholds. --quick: 24 days x
# 12 terminals, 3-day val, so its val/test inference stays short.
if [ "$QUICK" = 1 ]; then
    DAYS="${DAYS:-24}"; TERMINALS="${TERMINALS:-12}"; VAL_DAYS=3; MODE=quick; TRAIN_FLAGS=(--quick)
else
    DAYS="${DAYS:-42}"; TERMINALS="${TERMINALS:-40}"; VAL_DAYS=7; MODE=full; TRAIN_FLAGS=()
fi
WORK="${WORK:-$ROOT/training/.work/$MODE}"
OUT="${OUT:-$WORK/bundle}"
mkdir -p "$WORK"

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
START=$(date +%s)

"$PY" -c 'import torch, onnx, xgboost, cryptography' 2>/dev/null || {
    echo "pipeline.sh: $PY lacks torch/onnx/xgboost/cryptography; run training/setup.sh" >&2; exit 1; }

step "build fraudedge CLI"
dotnet build -c Release "$ROOT/src/FraudEdge.Cli" -nologo -v q
fraudedge() { dotnet run --no-build -c Release --project "$ROOT/src/FraudEdge.Cli" -- "$@"; }

step "simulate $DAYS days, $TERMINALS terminals, seed $SEED"
fraudedge simulate --seed "$SEED" --days "$DAYS" --terminals "$TERMINALS" --out "$WORK/events.felog" --quiet

step "dataset (C# tokenizer, label delay 7 days)"
rm -rf "$WORK/dataset"
fraudedge dataset --log "$WORK/events.felog" --out "$WORK/dataset" --label-delay-days 7 --val-days "$VAL_DAYS"

step "train"
"$PY" "$ROOT/training/train.py" --data "$WORK/dataset" --out "$OUT" --key "$KEY" \
    --report "$WORK/report.json" --seed "$SEED" "${TRAIN_FLAGS[@]}"

step "evaluate the bundle with the C# engine (test period of the dataset)"
# --dataset limits scoring to the held-out test period: scoring the whole log would mix in training days.
TRUST=()
PUB="${KEY%.key.pem}.pub.pem"
[ "$PUB" != "$KEY" ] && [ -f "$PUB" ] && TRUST=(--trusted-key "$PUB")
fraudedge evaluate --model "$OUT" --data "$WORK/events.felog" --dataset "$WORK/dataset" "${TRUST[@]}" --json \
    > "$WORK/evaluate.json"

echo
echo "pipeline ($MODE) done in $(( $(date +%s) - START ))s"
echo "  bundle   $OUT"
echo "  report   $WORK/report.json"
echo "  evaluate $WORK/evaluate.json"
