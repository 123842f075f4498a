#!/usr/bin/env bash
# Instructions per decision of the in-process decision path (FraudEngine.Evaluate: event → history → tokens →
# ONNX Runtime int8 model → verdict), counted by valgrind's callgrind instead of timed, so commits can be compared
# without this machine's noise; plus the model's MFLOP per decision from its ONNX graph and instructions per FLOP.
# Method, caveats and measured numbers: bench/README.md, "Cost per decision (machine-independent)".
#
#   scripts/cost-per-decision.sh [--n1 200] [--n2 1200] [--runs 2] [--profile entry-a53]
#                                [--model models/fraudedge-slm --key keys/test/fraudedge-test-signing.pub.pem]
#                                [--audit] [--out artifacts/cost]
#
# How: bench/cost-per-decision is published with NativeAOT (plain native code: no JIT, no tiering; valgrind copes
# with it), then run under callgrind on a fixed deterministic event stream: N1 warm-up decisions, then N2 − N1
# measured ones. callgrind writes its counters out at decision N1 and at N2 (--dump-before on the driver's marker),
# so I(N1) covers start-up, bundle verification, ORT session creation and warm-up, and
# (I(N2) − I(N1)) / (N2 − N1) is one decision; I is the inclusive instruction count of FraudEngine.Evaluate.
# --runs 2 (default) runs two identical processes in parallel to show the spread.
# Not perf: `perf stat -e instructions` says <not supported> on this VM (no virtual PMU), and callgrind's count
# does not depend on the host's microarchitecture anyway. The audit log is off unless --audit (then every decision
# is also appended, fsync'd per record as the entry-a53 profile says, to a fresh log in the work folder).
# Output: a table on stdout, <out>/cost.json, the callgrind files in <out>/work/.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

n1=200
n2=1200
runs=2
profile=entry-a53
model=models/fraudedge-slm
key=keys/test/fraudedge-test-signing.pub.pem
out=artifacts/cost
audit=false
while [ $# -gt 0 ]; do
  case "$1" in
    --n1) n1=$2; shift 2 ;;
    --n2) n2=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --audit) audit=true; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! [ "$n1" -ge 0 ] 2>/dev/null || ! [ "$n2" -gt "$n1" ] 2>/dev/null || ! [ "$runs" -ge 1 ] 2>/dev/null; then
  echo "need 0 <= N1 < N2 and runs >= 1 (got N1=$n1 N2=$n2 runs=$runs)" >&2; exit 2
fi
model=$(realpath "$model"); key=$(realpath "$key")
[ -f "$profile" ] && profile=$(realpath "$profile")
mkdir -p "$out"; out=$(realpath "$out")

# What it needs: valgrind; for NativeAOT on linux-x64 a C toolchain to link with (clang, or gcc, ILCompiler's
# fallback) and zlib1g-dev — Microsoft's NativeAOT prerequisites for Debian are "clang zlib1g-dev".
missing=()
command -v valgrind >/dev/null || missing+=(valgrind)
command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

echo "== publishing bench/cost-per-decision with NativeAOT (linux-x64)"
rm -rf "$out/bin"
dotnet publish bench/cost-per-decision -c Release -r linux-x64 -o "$out/bin" -nologo -v q
bin="$out/bin/cost-per-decision"
work="$out/work"
rm -rf "$work"; mkdir -p "$work"
published=$(date +%s)

common=(--model "$model" --key "$key" --profile "$profile")
ORT_DISABLE_TELEMETRY=1 "$bin" info "${common[@]}" > "$work/info.json"  # telemetry: see below

# ORT_DISABLE_TELEMETRY=1: ONNX Runtime 1.31.1 on Linux starts a telemetry thread (1DS SDK: an SQLite store in
# ~/.cache/Microsoft/DeveloperTools/.onnxruntime/, zlib-compressed batches) whose work the process exit cuts short
# at a random point — 1.4 M to 210 M instructions in the whole-process count. The decision path is the same
# with it on or off (FraudEngine.Evaluate differed by 0.015 %); off makes the whole-process figure repeatable.
marker=cost_per_decision_FraudEdge_CostPerDecision_DecisionLoop__WindowMark
echo "== callgrind: $runs process(es) in parallel, $n1 warm-up + $((n2 - n1)) measured decisions each"
pids=()
for r in $(seq 1 "$runs"); do
  extra=()
  [ "$audit" = true ] && extra=(--audit "$work/audit$r")
  ORT_DISABLE_TELEMETRY=1 valgrind --tool=callgrind --dump-before="$marker" \
    --callgrind-out-file="$work/run$r.callgrind" --log-file="$work/run$r.valgrind.log" \
    "$bin" run --warmup "$n1" --decisions "$((n2 - n1))" "${common[@]}" "${extra[@]}" > "$work/run$r.out" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=$?; done
if [ $status -ne 0 ]; then
  echo "a callgrind run failed (exit $status): see $work/run*.out and run*.valgrind.log" >&2
  cat "$work"/run*.out >&2 || true
  exit 1
fi
measured=$(date +%s)

commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dirty=false; [ -n "$(git status --porcelain 2>/dev/null)" ] && dirty=true
echo "== report (commit ${commit:0:12}$([ $dirty = true ] && echo ', with uncommitted changes'); publish $((published - start)) s, callgrind $((measured - published)) s)"
echo
"$bin" report --work "$work" --runs "$runs" --n1 "$n1" --n2 "$n2" --info "$work/info.json" --json "$out/cost.json" \
  --commit "$commit" --dirty "$dirty" --valgrind "$(valgrind --version)" --seconds "$(( $(date +%s) - start ))"
echo
echo "JSON: $out/cost.json   callgrind files: $work   ($(( $(date +%s) - start )) s)"
