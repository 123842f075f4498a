#!/usr/bin/env bash
# What the service costs the device, counted by the kernel rather than timed: fraudedged's CPU time per
# decision while clients/c's fe_score sends requests back to back, and its CPU time and context switches
# at rest (one connection open, nothing sent). Counts from /proc/PID/stat and /proc/PID/task/*/status.
#
#   bench/service-cost.sh [--rounds R] [--decisions N] [--rest-s S] [--profile NAME] [--service-dll PATH]...
#
# --service-dll may be given more than once (e.g. an older build's fraudedged.dll): the builds are run
# alternately, R rounds each. Default: this checkout's Release build (built if missing), 3 rounds,
# 4000 decisions, 10 s at rest, profile entry-a53 (JIT build: --memory-budget-mib 256, as bench ipc does).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 decisions=4000 rest_s=10 profile=entry-a53 dlls=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --decisions) decisions=$2; shift 2 ;;
    --rest-s) rest_s=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --service-dll) dlls+=("$(realpath "$2")"); shift 2 ;;
    *) echo "usage: $0 [--rounds R] [--decisions N] [--rest-s S] [--profile NAME] [--service-dll PATH]..." >&2; exit 2 ;;
  esac
done
if [ ${#dlls[@]} -eq 0 ]; then
  dll=src/FraudEdge.Service/bin/Release/net10.0/fraudedged.dll
  [ -f "$dll" ] || dotnet build -c Release src/FraudEdge.Service -v q >/dev/null
  dlls=("$(realpath "$dll")")
fi
fe=clients/c/build/fe_score
[ -x "$fe" ] || make -s -C clients/c >/dev/null
tick_us=$((1000000 / $(getconf CLK_TCK)))

cpu_ticks() { awk '{ sub(/^.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
# One "tid:voluntary:involuntary" word per thread: a thread that ends between two snapshots is left out.
switches() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '/^voluntary/ { v = $2 } /^nonvoluntary/ { n = $2 } END { if (v != "") printf "%s:%s:%s ", tid, v, n }' "$t/status" 2>/dev/null || true
  done
}
decisions() { "$fe" --socket "$1" --status | sed -n 's/^decisions=//p'; }

run_one() {
  local dll=$1 work sock pid holder d0 c0 t0 d1 c1 t1 s0 s1 r0 r1
  work=$(mktemp -d) sock=$work/fraudedged.sock
  dotnet "$dll" --socket "$sock" --audit "$work/audit" --profile "$profile" --memory-budget-mib 256 >"$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { cat "$work/log" >&2; exit 1; }
  "$fe" --socket "$sock" --count 2000 >/dev/null            # warm-up: JIT tiers, history, audit segment
  d0=$(decisions "$sock") c0=$(cpu_ticks $pid) t0=$(date +%s%N)
  "$fe" --socket "$sock" --count "$decisions" --terminal T9 >/dev/null
  t1=$(date +%s%N) c1=$(cpu_ticks $pid) d1=$(decisions "$sock")
  # At rest: a terminal keeps its connection open between transactions.
  python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(float(sys.argv[2]))' "$sock" $((rest_s + 3)) &
  holder=$!
  sleep 2
  r0=$(cpu_ticks $pid) s0=$(switches $pid)
  sleep "$rest_s"
  r1=$(cpu_ticks $pid) s1=$(switches $pid)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  kill $holder 2>/dev/null || true; wait $holder 2>/dev/null || true
  rm -rf "$work"
  python3 - "$dll" "$((d1 - d0))" "$(((c1 - c0) * tick_us))" "$(((t1 - t0) / 1000))" "$(((r1 - r0) * tick_us))" "$s0" "$s1" "$rest_s" <<'PY'
import sys
dll, n, cpu_us, wall_us, rest_cpu_us, s0, s1, rest_s = sys.argv[1:]
n, cpu_us, wall_us, rest_cpu_us, rest_s = int(n), int(cpu_us), int(wall_us), int(rest_cpu_us), float(rest_s)
a = {w.split(":")[0]: tuple(map(int, w.split(":")[1:])) for w in s0.split()}
b = {w.split(":")[0]: tuple(map(int, w.split(":")[1:])) for w in s1.split()}
v0 = sum(a[t][0] for t in a if t in b); v1 = sum(b[t][0] for t in a if t in b)
i0 = sum(a[t][1] for t in a if t in b); i1 = sum(b[t][1] for t in a if t in b)
print(f"{dll}: {n} decisions: service CPU {cpu_us / n:.0f} µs/decision, round trip {wall_us / n:.0f} µs/decision (fe_score, wall); "
      f"at rest {rest_s:.0f} s: CPU {rest_cpu_us / 1000:.0f} ms, context switches voluntary {(v1 - v0) / rest_s:.0f}/s, involuntary {(i1 - i0) / rest_s:.0f}/s")
PY
}

echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs; profile $profile; $decisions decisions; ${rest_s} s at rest; tick ${tick_us} µs"
for r in $(seq 1 "$rounds"); do
  for dll in "${dlls[@]}"; do run_one "$dll"; done
done
