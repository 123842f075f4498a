#!/usr/bin/env bash
# Replay throughput (issue 5's target: >= 20,000 decisions/s using both cores), measured the way an auditor runs it:
#   1. start the real fraudedged (JIT build, shipped bundle, --profile PROFILE) with an audit folder,
#   2. play one simulated terminal's traffic to it over the socket (`fraudedge play`: score requests and the outcome
#      notices between them), stop it (SIGTERM, as systemd does),
#   3. `fraudedge replay AUDIT --json --threads 1` and `--threads 2`, alternating, ROUNDS times each; every run must
#      reproduce every decision bit-exactly. decisions/s = decisions / the replay loop's elapsed_ms (verify and
#      start-up excluded, as ReplayReport measures it).
#
#   scripts/replay-throughput.sh [--events N] [--days D] [--rounds R] [--profile NAME] [--no-build] [--work DIR]
#
# Prints one line per run and the min - median - max per thread count. Takes ~2-4 min with the defaults.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS=5000; DAYS=42; ROUNDS=5; PROFILE=store-x64; BUILD=1; WORK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; shift ;;
    --days) DAYS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --profile) PROFILE=$2; shift ;;
    --no-build) BUILD=0 ;;
    --work) WORK=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "replay-throughput.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
WORK=${WORK:-$(mktemp -d /tmp/fe-replay-throughput.XXXXXX)}
BIN=$REPO/src/FraudEdge.Cli/bin/Release/net10.0
CLI=(dotnet "$BIN/fraudedge.dll")
[ $BUILD = 1 ] && dotnet build -c Release "$REPO/src/FraudEdge.Cli" -nologo -v q >/dev/null

mkdir -p "$WORK"; rm -rf "$WORK/audit" "$WORK/fe.sock"
# The JIT build needs more than a terminal profile's budget (hardware-profiles/README.md): 256 MiB, as the tests give it.
ORT_DISABLE_TELEMETRY=1 dotnet "$BIN/fraudedged.dll" --socket "$WORK/fe.sock" --audit "$WORK/audit" --profile "$PROFILE" --memory-budget-mib 256 \
  --model "$REPO/models/fraudedge-slm" --trusted-key "$REPO/keys/test/fraudedge-test-signing.pub.pem" > "$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  [ -S "$WORK/fe.sock" ] && break
  kill -0 $PID 2>/dev/null || { echo "fraudedged exited:"; cat "$WORK/service.log"; exit 1; }
  sleep 0.2
done
"${CLI[@]}" play --socket "$WORK/fe.sock" --events "$EVENTS" --days "$DAYS" --terminals 8 --json > "$WORK/play.json"
kill -TERM $PID; wait $PID || true
trap - EXIT
echo "recorded: $(du -sh "$WORK/audit" | cut -f1) audit log in $WORK/audit, terminal $(grep -o '"terminal": "[^"]*' "$WORK/play.json" | cut -d'"' -f4), $EVENTS decisions"

declare -A RATES
for round in $(seq 1 "$ROUNDS"); do
  for threads in 1 2; do
    "${CLI[@]}" replay "$WORK/audit" --profile "$PROFILE" --json --threads $threads > "$WORK/replay.json" || {
      echo "replay failed or did not reproduce (threads $threads):"; head -c 2000 "$WORK/replay.json"; exit 1; }
    line=$(/usr/bin/python3 - "$WORK/replay.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
# Bit-exact, except decisions the device's deadline cut off (replay runs without one and counts them apart).
assert r["reproduced"] and r["identical"] + r["recorded_deadline_misses"] == r["decisions"], "not every decision reproduced bit-exactly"
print(f'{r["decisions_per_s"]:.0f} {r["decisions"]} {r["elapsed_ms"]:.0f}')
EOF
)
    read -r rate decisions ms <<<"$line"
    RATES[$threads]+="$rate "
    echo "round $round threads $threads: $decisions decisions in $ms ms = $rate decisions/s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for threads in 1 2; do
  /usr/bin/python3 -c "import sys; v=sorted(map(float, sys.argv[2:])); print(f'threads {sys.argv[1]}: {v[0]:,.0f} - {v[len(v)//2]:,.0f} - {v[-1]:,.0f} decisions/s (min - median - max of {len(v)})')" $threads ${RATES[$threads]}
done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(date -u +%FT%TZ)"
