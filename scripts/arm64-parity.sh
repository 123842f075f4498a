#!/usr/bin/env bash
# Emulated arm64 parity check (README "Release builds and ARM", docs/audit-log.md "Replay across architectures").
#
#   scripts/arm64-parity.sh [--events N] [--seed S] [--tolerance EPS] [--variant aot|jit] [--keep] [--no-x64-build] [--self-check]
#
# 1. installs qemu-user-static and the arm64 runtime libraries (libc, libstdc++, libgcc), and for the AOT build the
#    cross toolchain, if missing;
# 2. builds the linux-arm64 fraudedged (NativeAOT by default: the self-contained JIT build is far slower under qemu,
#    see docs/operations.md) and the x64 CLI and service (Release, JIT);
# 3. makes a sysroot as a terminal image has it: lib -> /usr/aarch64-linux-gnu/lib (libc, libstdc++, libgcc; no
#    libssl: the check refuses a sysroot that has one) and an ARM-format proc/cpuinfo of a Cortex-A53 (ONNX Runtime
#    reads it to pick its kernels; qemu would pass the host's x86 one through);
# 4. ONNX Runtime level: bench/ort-parity (the engine's OnnxScorer and calibration, no bundle verification, no crypto)
#    scores the same token sequences (a simulated log through `fraudedge dataset`, on x64) natively and as an arm64
#    build under qemu in that sysroot: the logit and probability differences of the arm64 kernels, measured even
#    where the service cannot start;
# 5. runs the arm64 service under `qemu-aarch64-static -cpu cortex-a53` (QEMU_LD_PREFIX=sysroot) and the x64 service
#    natively, each on its own temp socket with its own --audit folder, the shipped bundle and the same profile
#    (entry-a53 with a 5 s deadline, so emulation speed never turns a model decision into a rules one);
# 6. plays the same simulated terminal traffic to both (`fraudedge play`);
# 7. compares: `fraudedge replay ARM_AUDIT --model models/fraudedge-slm --tolerance EPS` on x64 (every recorded arm64
#    decision recomputed; verdict, risk score, source, reasons identical, probability within EPS) and
#    `fraudedge compare X64_AUDIT ARM_AUDIT --tolerance EPS` (the two logs' decision sequences directly).
# --self-check tests this script's own service-level machinery: a linux-x64 NativeAOT fraudedged, run natively, stands in
# for the emulated arm64 one (the ORT level still runs emulated); its logs must come out bit-identical.
# Exit 0 parity, 1 a difference or a failure (printed), 2 usage. Timings printed here are of the emulator on this
# x64 machine: they are never ARM performance.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
EVENTS=300
SEED=7
# Absolute probability difference allowed between architectures: docs/audit-log.md, "Replay across architectures".
TOLERANCE=2e-4
VARIANT=aot
KEEP=0
BUILD_X64=1
SELF_CHECK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --tolerance) TOLERANCE=$2; shift ;;
    --variant) VARIANT=$2; shift ;;
    --keep) KEEP=1 ;;
    --self-check) SELF_CHECK=1 ;;
    --no-x64-build) BUILD_X64=0 ;; # test.sh: the solution's Release build is already there
    -h|--help) sed -n '2,/^set -e/{/^#/p}' "$0"; exit 0 ;;
    *) echo "arm64-parity.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case $VARIANT in aot|jit) ;; *) echo "arm64-parity.sh: --variant is aot or jit" >&2; exit 2 ;; esac

T_START=$SECONDS
OUT=$REPO/artifacts/arm64-parity
WORK=$(mktemp -d /tmp/fe-arm64-parity.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  if [ $KEEP = 0 ]; then rm -rf "$WORK"; else echo "kept: $WORK"; fi
}
trap cleanup EXIT

step() { echo "== [$((SECONDS - T_START)) s] $*"; }

# (1) Debian packages.
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
need=()
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ] || need+=(libgcc-s1-arm64-cross)
if [ $VARIANT = aot ]; then
  command -v clang-14 >/dev/null || need+=(clang-14)
  command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
  command -v aarch64-linux-gnu-objcopy >/dev/null || need+=(binutils-aarch64-linux-gnu)
  [ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || need+=(libc6-dev-arm64-cross)
fi
{ command -v gcc >/dev/null && command -v make >/dev/null; } || need+=(gcc make libc6-dev)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# (2) Builds.
if [ $BUILD_X64 = 1 ]; then
  step "build: x64 CLI, service and ort-parity (Release), clients/c fe_score"
  for project in src/FraudEdge.Cli/FraudEdge.Cli.csproj bench/ort-parity/OrtParity.csproj; do
    dotnet build "$project" -c Release -nologo -v q -warnaserror > "$WORK/build-x64.log" 2>&1 || { cat "$WORK/build-x64.log"; exit 1; }
  done
fi
for f in src/FraudEdge.Cli/bin/Release/net10.0/fraudedge.dll src/FraudEdge.Cli/bin/Release/net10.0/fraudedged.dll bench/ort-parity/bin/Release/net10.0/ort-parity.dll; do
  [ -e "$f" ] || { echo "arm64-parity.sh: $f is missing: build the solution in Release first (or drop --no-x64-build)" >&2; exit 1; }
done
make -C clients/c build/fe_score >/dev/null
BIN=$REPO/src/FraudEdge.Cli/bin/Release/net10.0
CLI=(dotnet "$BIN/fraudedge.dll")
FE=$REPO/clients/c/build/fe_score
ARM=$WORK/arm64-$VARIANT
publish_arm64() { # project output
  if [ $VARIANT = aot ]; then
    dotnet publish "$1" -c Release -r linux-arm64 -nologo -warnaserror -p:PublishAot=true -p:CppCompilerAndLinker=clang-14 -o "$2" \
      > "$WORK/build-arm64.log" 2>&1 || { cat "$WORK/build-arm64.log"; exit 1; }
  else
    dotnet publish "$1" -c Release -r linux-arm64 --self-contained -nologo -warnaserror -p:PublishTrimmed=true -o "$2" \
      > "$WORK/build-arm64.log" 2>&1 || { cat "$WORK/build-arm64.log"; exit 1; }
  fi
}
t0=$SECONDS
step "build: linux-arm64 fraudedged and ort-parity ($VARIANT$([ $VARIANT = aot ] && echo ', cross-compiled with clang-14'))"
publish_arm64 src/FraudEdge.Service/FraudEdge.Service.csproj "$ARM"
publish_arm64 bench/ort-parity/OrtParity.csproj "$WORK/ort-parity-arm64"
BUILD_ARM_S=$((SECONDS - t0))
if [ $SELF_CHECK = 1 ]; then
  step "self-check: build a linux-x64 NativeAOT fraudedged to stand in for the emulated arm64 one"
  dotnet publish src/FraudEdge.Service/FraudEdge.Service.csproj -c Release -r linux-x64 -nologo -warnaserror -p:PublishAot=true \
    -p:CppCompilerAndLinker=clang-14 -o "$WORK/x64-aot" > "$WORK/build-x64-aot.log" 2>&1 || { cat "$WORK/build-x64-aot.log"; exit 1; }
fi

# (3) The sysroot a terminal image would give the service.
SYSROOT=$WORK/sysroot
mkdir -p "$SYSROOT/proc"
ln -s /usr/aarch64-linux-gnu/lib "$SYSROOT/lib"
{
  for cpu in 0 1 2 3; do
    printf 'processor\t: %d\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\n' $cpu
    printf 'CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd03\nCPU revision\t: 4\n\n'
  done
} > "$SYSROOT/proc/cpuinfo"
if ls "$SYSROOT/lib/" | grep -qE '^lib(ssl|crypto)\.so'; then
  echo "arm64-parity.sh: $SYSROOT/lib has libssl/libcrypto; a terminal image does not, so this check must not either" >&2
  exit 1
fi
step "sysroot: $(ls "$SYSROOT/lib/" | grep -cE '\.so') shared objects from /usr/aarch64-linux-gnu/lib (no libssl, no libcrypto), Cortex-A53 /proc/cpuinfo"

# The profile both services run with: entry-a53 with the schema's maximum deadline (5 s) and a 1 GiB memory
# budget: the x64 side is the JIT build (~80 MiB) and qemu-user's resident set includes the emulator itself,
# so neither says anything about a terminal's memory (hardware-profiles/README.md measures that natively).
PROFILE=$WORK/profile.json
python3 - "$PROFILE" <<'PY'
import json, sys
p = json.load(open("hardware-profiles/entry-a53.json"))
p["name"] = "entry-a53-parity"
p["scoring"]["deadline_us"] = 5_000_000
p["memory_budget_mib"] = 1024
json.dump(p, open(sys.argv[1], "w"), indent=2)
PY
MODEL=$REPO/models/fraudedge-slm
QEMU=(qemu-aarch64-static -cpu cortex-a53)

# (4) ONNX Runtime level: the same token sequences scored by the x64 and the emulated arm64 build of the scorer.
step "ORT level: token sequences of a simulated log (fraudedge dataset), scored by ort-parity on x64 and on emulated arm64"
# Fraud 20x as often as the documented mix, and every fraud event first: high probabilities are where a logit
# difference moves the probability most (dp = p(1-p)·a·dlogit), and where the thresholds are.
"${CLI[@]}" simulate --seed "$SEED" --days 3 --terminals 2 --fraud-multiplier 20 --out "$WORK/ort.felog" --quiet > /dev/null
"${CLI[@]}" dataset --log "$WORK/ort.felog" --out "$WORK/ort-dataset" --val-days 1 --test-days 1 --label-delay-days 0 > /dev/null
python3 - "$WORK/ort-dataset" "$WORK/ort-sample.tokens.npy" $((2 * EVENTS)) <<'PY'
import struct, sys
folder, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
def npy(path):
    b = open(path, "rb").read()
    n = struct.unpack("<H", b[8:10])[0]
    return b[10:10 + n].decode(), b[10 + n:]
fraud, legit = [], []
for split in ("train", "val", "test"):
    header, tokens = npy(f"{folder}/{split}.tokens.npy")
    assert "'<i4'" in header, header
    _, typology = npy(f"{folder}/{split}.typology.npy")
    width = len(tokens) // len(typology)
    for i, t in enumerate(typology):
        (fraud if t not in (0, 255) else legit).append(tokens[i * width:(i + 1) * width])
rows = (fraud + legit)[:limit]
header = "{'descr': '<i4', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), width // 4)
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
open(out, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"".join(rows))
print(f"   {len(rows)} token sequences: {min(len(fraud), limit)} simulated fraud events first, then legitimate ones")
PY
dotnet "$REPO/bench/ort-parity/bin/Release/net10.0/ort-parity.dll" --model "$MODEL" --tokens "$WORK/ort-sample.tokens.npy" \
  --out "$WORK/ort-x64.tsv" > /dev/null
t0=$SECONDS
QEMU_LD_PREFIX=$SYSROOT "${QEMU[@]}" "$WORK/ort-parity-arm64/ort-parity" --model "$MODEL" --tokens "$WORK/ort-sample.tokens.npy" \
  --out "$WORK/ort-arm64.tsv" > "$WORK/ort-arm64.log" 2>&1 || { echo "FAIL: ort-parity under qemu:"; cat "$WORK/ort-arm64.log"; exit 1; }
ORT_ARM_S=$((SECONDS - t0))
ORT_STATUS=0
python3 - "$WORK/ort-x64.tsv" "$WORK/ort-arm64.tsv" "$WORK/ort.json" "$TOLERANCE" <<'PY' || ORT_STATUS=1
import json, struct, sys
x64, arm, out, tol = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
f = lambda h: struct.unpack("<f", bytes.fromhex(h)[::-1])[0]
rows_x = [l.split("\t") for l in open(x64).read().splitlines()]
rows_a = [l.split("\t") for l in open(arm).read().splitlines()]
assert len(rows_x) == len(rows_a) > 0, (len(rows_x), len(rows_a))
dl = [abs(f(a[1]) - f(x[1])) for x, a in zip(rows_x, rows_a)]
dp = [abs(f(a[2]) - f(x[2])) for x, a in zip(rows_x, rows_a)]
doc = {"sequences": len(rows_x),
       "bit_identical": sum(x[1:] == a[1:] for x, a in zip(rows_x, rows_a)),
       "same_verdict_and_risk_score": sum(x[3:] == a[3:] for x, a in zip(rows_x, rows_a)),
       "max_abs_logit_delta": max(dl), "max_abs_probability_delta": max(dp), "tolerance": tol,
       "verdicts_x64": {v: sum(x[3] == v for x in rows_x) for v in ("Allow", "Review", "Deny")},
       "max_probability": max(f(x[2]) for x in rows_x)}
json.dump(doc, open(out, "w"), indent=2)
print(f"   {doc['sequences']} sequences ({doc['verdicts_x64']}, max p {doc['max_probability']:.3f}): {doc['bit_identical']} bit-identical, {doc['same_verdict_and_risk_score']} same verdict and risk score; "
      f"max |dlogit| {doc['max_abs_logit_delta']:.3g}, max |dprobability| {doc['max_abs_probability_delta']:.3g} (tolerance {tol:g})")
sys.exit(0 if doc["max_abs_probability_delta"] <= tol and doc["same_verdict_and_risk_score"] == doc["sequences"] else 1)
PY
KEY=$REPO/keys/test/fraudedge-test-signing.pub.pem
SERVICE_ARGS=(--profile "$PROFILE" --model "$MODEL" --trusted-key "$KEY")

wait_ready() { # name pid socket log seconds
  local name=$1 pid=$2 sock=$3 log=$4 limit=$5 t=$SECONDS
  while [ $((SECONDS - t)) -lt "$limit" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAIL: the $name fraudedged exited before serving. Its output:"; sed 's/^/  | /' "$log" | head -40
      return 1
    fi
    if [ -S "$sock" ] && "$FE" --socket "$sock" --ping --timeout 5000 >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "FAIL: the $name fraudedged did not answer a Ping within $limit s"; sed 's/^/  | /' "$log" | head -40
  return 1
}

# (5) Both services.
step "start: x64 fraudedged (native) and arm64 fraudedged (qemu-aarch64-static -cpu cortex-a53, QEMU_LD_PREFIX=sysroot)"
dotnet "$BIN/fraudedged.dll" --socket "$WORK/x64.sock" --audit "$WORK/x64-audit" "${SERVICE_ARGS[@]}" > "$WORK/x64.log" 2>&1 &
X64_PID=$!; PIDS+=($X64_PID)
ARM_EXE=$ARM/fraudedged
t0_ms=$(date +%s%3N)
if [ $SELF_CHECK = 1 ]; then
  echo "   SELF-CHECK: the 'arm64' service below is the linux-x64 NativeAOT build, run natively"
  "$WORK/x64-aot/fraudedged" --socket "$WORK/arm64.sock" --audit "$WORK/arm64-audit" "${SERVICE_ARGS[@]}" > "$WORK/arm64.log" 2>&1 &
else
  QEMU_LD_PREFIX=$SYSROOT "${QEMU[@]}" "$ARM_EXE" --socket "$WORK/arm64.sock" --audit "$WORK/arm64-audit" "${SERVICE_ARGS[@]}" > "$WORK/arm64.log" 2>&1 &
fi
ARM_PID=$!; PIDS+=($ARM_PID)
wait_ready x64 $X64_PID "$WORK/x64.sock" "$WORK/x64.log" 60
if ! wait_ready arm64 $ARM_PID "$WORK/arm64.sock" "$WORK/arm64.log" 300; then
  START_ARM_MS=$(( $(date +%s%3N) - t0_ms ))
  echo "   (emulated start until the failure: $START_ARM_MS ms; not ARM performance)"
  if grep -qE 'OpenSSL|libssl|libcrypto' "$WORK/arm64.log"; then
    echo "BLOCKED: the arm64 fraudedged needs OpenSSL (libssl/libcrypto), which a terminal image (this sysroot) does not have."
    grep -m1 -oE '(System\.[A-Za-z.]+Exception|Unhandled exception)[^|]*' "$WORK/arm64.log" | head -1 | sed 's/^/  first error: /'
    grep -m3 -E '^\s+at FraudEdge' "$WORK/arm64.log" | sed 's/^ */  from: /'
    echo "  The service-level comparison did not run. It needs the service's crypto (bundle signature, SHA-256, audit chain) off OpenSSL."
    BLOCKED="arm64 fraudedged needs OpenSSL, absent from the terminal sysroot: $(grep -m1 -oE '(System\.[A-Za-z.]+Exception)[^|]*' "$WORK/arm64.log" | head -1 | cut -c1-200)"
  else
    BLOCKED="arm64 fraudedged did not start: $(head -c 300 "$WORK/arm64.log" | tr '\n' ' ')"
  fi
  mkdir -p "$OUT"
  python3 - "$OUT/parity.json" "$WORK/ort.json" "$VARIANT" "$TOLERANCE" "$BLOCKED" "$BUILD_ARM_S" "$ORT_ARM_S" "$((SECONDS - T_START))" "$START_ARM_MS" <<'PY'
import json, sys, datetime
out, ort, variant, tol, blocked, build_s, ort_s, total_s, start_ms = sys.argv[1:]
json.dump({"generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "command": "scripts/arm64-parity.sh", "status": "blocked", "blocked": blocked,
           "arm64_build": variant, "qemu_cpu": "cortex-a53", "tolerance": float(tol), "ort_level": json.load(open(ort)),
           "emulated_seconds_not_arm_performance": {"arm64_builds": int(build_s), "ort_parity_run": int(ort_s),
                                                    "arm64_start_until_failure": int(start_ms) / 1000, "script_total": int(total_s)}},
          open(out, "w"), indent=2)
print(f"   written: {out}")
PY
  echo "== [$((SECONDS - T_START)) s] NOT PASSED: arm64 service parity blocked (ORT level: $([ $ORT_STATUS = 0 ] && echo "within $TOLERANCE" || echo "OUTSIDE $TOLERANCE"))"
  exit 1
fi
START_ARM_MS=$(( $(date +%s%3N) - t0_ms ))

# (6) The same traffic to both.
step "play: $EVENTS events of one simulated terminal (seed $SEED, fraud x20) to each service"
# 20x the documented fraud rate in a 16-terminal, 2-day town: the terminal played has the most fraud, so about a third
# of its first 300 decisions are review or deny (seed 7: 203 / 76 / 21), near and above the thresholds where a
# cross-architecture difference would matter.
PLAY=(play --events "$EVENTS" --seed "$SEED" --terminals 16 --days 2 --fraud-multiplier 20 --json)
"${CLI[@]}" "${PLAY[@]}" --socket "$WORK/x64.sock" > "$WORK/play-x64.json"
t0=$SECONDS
"${CLI[@]}" "${PLAY[@]}" --socket "$WORK/arm64.sock" --timeout-ms 120000 > "$WORK/play-arm64.json"
PLAY_ARM_S=$((SECONDS - t0))
for pid in $X64_PID $ARM_PID; do kill -TERM "$pid"; done
X64_EXIT=0; wait $X64_PID || X64_EXIT=$?
ARM_EXIT=0; wait $ARM_PID || ARM_EXIT=$?
PIDS=()
[ $X64_EXIT = 0 ] && [ $ARM_EXIT = 0 ] || { echo "FAIL: service exit codes x64 $X64_EXIT, arm64 $ARM_EXIT"; tail -5 "$WORK/arm64.log"; exit 1; }

# (7) Compare.
step "compare: replay of the arm64 log on x64 (--tolerance $TOLERANCE), and the two logs decision by decision"
status=0
"${CLI[@]}" replay "$WORK/x64-audit" --model "$MODEL" --profile "$PROFILE" --json > "$WORK/replay-x64.json" 2>/dev/null || status=1
"${CLI[@]}" replay "$WORK/arm64-audit" --model "$MODEL" --profile "$PROFILE" --tolerance "$TOLERANCE" --json > "$WORK/replay-arm64.json" 2>/dev/null || status=1
"${CLI[@]}" compare "$WORK/x64-audit" "$WORK/arm64-audit" --tolerance "$TOLERANCE" --json > "$WORK/compare.json" || status=1

mkdir -p "$OUT"
python3 - "$WORK" "$OUT/parity.json" "$VARIANT" "$TOLERANCE" "$BUILD_ARM_S" "$START_ARM_MS" "$PLAY_ARM_S" "$((SECONDS - T_START))" "$ORT_ARM_S" "$SELF_CHECK" <<'PY'
import json, sys, datetime
work, out, variant, tol, build_s, start_ms, play_s, total_s, ort_s, self_check = sys.argv[1:]
load = lambda name: json.load(open(f"{work}/{name}"))
px, pa, rx, ra, c = load("play-x64.json"), load("play-arm64.json"), load("replay-x64.json"), load("replay-arm64.json"), load("compare.json")
doc = {
    "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "command": "scripts/arm64-parity.sh" + (" --self-check" if self_check == "1" else ""),
    "status": "self-check: linux-x64 NativeAOT in place of the emulated arm64 service" if self_check == "1" else "compared",
    "arm64_build": variant, "qemu_cpu": "cortex-a53", "tolerance": float(tol),
    "events": pa["events"], "outcomes": pa["outcomes"], "terminal": pa["terminal"], "seed": pa["seed"],
    "verdicts_x64": {k: px[k] for k in ("allowed", "reviewed", "denied", "rejected", "model_decisions", "rules_decisions")},
    "verdicts_arm64": {k: pa[k] for k in ("allowed", "reviewed", "denied", "rejected", "model_decisions", "rules_decisions")},
    "x64_replay_bit_exact": rx["reproduced"] and rx["not_bit_exact"] == 0,
    "arm64_replay_on_x64": {k: ra[k] for k in ("reproduced", "decisions", "identical", "not_bit_exact", "within_tolerance", "mismatches", "max_abs_probability_delta", "max_abs_logit_delta")},
    "logs_compared": {k: c[k] for k in ("equivalent", "compared", "same_verdict", "bit_identical", "within_tolerance", "different", "event_order_differences", "max_abs_probability_delta", "max_abs_logit_delta")},
    "ort_level": load("ort.json"),
    "emulated_seconds_not_arm_performance": {"arm64_builds": int(build_s), "ort_parity_run": int(ort_s), "arm64_start_to_ready": int(start_ms) / 1000, "arm64_play": int(play_s), "script_total": int(total_s)},
}
json.dump(doc, open(out, "w"), indent=2)
r, c2 = doc["arm64_replay_on_x64"], doc["logs_compared"]
print(f"   x64   verdicts: {doc['verdicts_x64']}")
print(f"   arm64 verdicts: {doc['verdicts_arm64']}")
print(f"   x64 log replayed on x64: {'bit-exact' if doc['x64_replay_bit_exact'] else 'NOT bit-exact'}")
print(f"   arm64 log replayed on x64: reproduced={r['reproduced']}, {r['identical']} of {r['decisions']} bit-identical, {r['not_bit_exact']} not bit-exact "
      f"({r['within_tolerance']} within {tol}), {r['mismatches']} mismatches; max |dprobability| {r['max_abs_probability_delta']:.3g}, max |dlogit| {r['max_abs_logit_delta']:.3g}")
print(f"   logs compared: equivalent={c2['equivalent']}, {c2['same_verdict']} of {c2['compared']} same verdict, {c2['bit_identical']} bit-identical, "
      f"{c2['within_tolerance']} within tolerance, {c2['different']} different; max |dprobability| {c2['max_abs_probability_delta']:.3g}")
label = "wall times of the native x64 stand-in (self-check)" if self_check == "1" else "emulated wall times on this x64 machine (NOT ARM performance)"
print(f"   {label}: arm64 builds {build_s} s, start {int(start_ms) / 1000} s, play {play_s} s")
print(f"   written: {out}")
PY
[ $ORT_STATUS = 0 ] || { echo "FAIL: ORT-level arm64 scores outside the tolerance $TOLERANCE (or a verdict/risk score differs): $WORK/ort.json"; status=1; }
if [ $status != 0 ]; then
  echo "FAIL: arm64 parity (details in $OUT/parity.json; rerun with --keep to keep the logs)"
  python3 -c 'import json,sys; [print(json.dumps(json.load(open(f)).get(k, [])[:5], indent=1)) for f, k in ((sys.argv[1], "mismatch_list"), (sys.argv[2], "difference_list"))]' "$WORK/replay-arm64.json" "$WORK/compare.json"
  exit 1
fi
if [ $SELF_CHECK = 1 ]; then
  step "SELF-CHECK PASSED: the service-level comparison works (x64 NativeAOT vs x64 JIT); the arm64 service was not run"
else
  step "PARITY: every arm64 verdict equals x64's; scores within $TOLERANCE"
fi
