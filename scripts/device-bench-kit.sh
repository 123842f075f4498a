#!/usr/bin/env bash
# The IPC benchmark as a folder to copy onto a terminal (bench/README.md, "On the device").
#
#   scripts/device-bench-kit.sh [--rid linux-arm64|linux-x64] [--out DIR] [--smoke]
#
# Issue 4's latency targets (IPC median vs in-process + 2 x echo, p99 vs 3 x median) are about the device, not
# a shared build VM. A terminal has no SDK and no compiler, so this builds everything the run needs, for the RID:
#   bench/        FraudEdge.Bench, self-contained (JIT runtime in the folder; it is the measuring side, not the product)
#   fraudedged/   the service as shipped: NativeAOT + libonnxruntime.so (embedded model and profiles)
#   native/       echo_server and fe_ipc_bench (bench/ipc, clients/c's strict C99 flags), cross-compiled for arm64
#   run-ipc.sh    runs `FraudEdge.Bench ipc` with the three above; FE_WORK_DIR (default /var/tmp) is where the
#                 sockets and audit logs go: put it on the storage the service's audit log really uses
# --smoke runs the kit's run-ipc.sh once in a tiny configuration (only when the RID is this machine's).
# Needs root or sudo the first time for arm64: clang-14, gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu,
# libc6-dev-arm64-cross (as scripts/release.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
RID=linux-arm64
OUT=""
SMOKE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) RID=$2; shift ;;
    --out) OUT=$2; shift ;;
    --smoke) SMOKE=1 ;;
    -h|--help) sed -n '2,/^set -e/{/^#/p}' "$0"; exit 0 ;;
    *) echo "device-bench-kit.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case $RID in
  linux-arm64) CC=aarch64-linux-gnu-gcc; MACHINE=AArch64 ;;
  linux-x64) CC=gcc; MACHINE="Advanced Micro Devices X86-64" ;;
  *) echo "device-bench-kit.sh: --rid linux-arm64 or linux-x64" >&2; exit 2 ;;
esac
OUT=${OUT:-$REPO/artifacts/device-bench/$RID}
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
need_pkgs=()
command -v clang-14 >/dev/null || need_pkgs+=(clang-14)
{ command -v gcc >/dev/null && command -v make >/dev/null; } || need_pkgs+=(gcc make libc6-dev)
command -v readelf >/dev/null || need_pkgs+=(binutils)
if [ "$RID" = linux-arm64 ]; then
  command -v aarch64-linux-gnu-gcc >/dev/null || need_pkgs+=(gcc-aarch64-linux-gnu)
  command -v aarch64-linux-gnu-objcopy >/dev/null || need_pkgs+=(binutils-aarch64-linux-gnu)
  [ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || need_pkgs+=(libc6-dev-arm64-cross)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== apt-get install ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

rm -rf "$OUT"
mkdir -p "$OUT"
quiet_publish() { # dest project args...
  local dest=$1 project=$2; shift 2
  local log; log=$(mktemp)
  local t0=$SECONDS
  if ! dotnet publish "$project" -c Release -r "$RID" --self-contained -nologo -o "$dest" "$@" > "$log" 2>&1; then
    cat "$log"; echo "device-bench-kit.sh: publish of $project failed" >&2; exit 1
  fi
  rm -f "$log"
  find "$dest" -maxdepth 1 \( -name '*.dbg' -o -name '*.pdb' \) -delete
  echo "   $((SECONDS - t0)) s"
}
echo "== publish fraudedged (NativeAOT, $RID)"
quiet_publish "$OUT/fraudedged" src/FraudEdge.Service/FraudEdge.Service.csproj -p:PublishAot=true -p:CppCompilerAndLinker=clang-14
echo "== publish FraudEdge.Bench (self-contained, $RID)"
quiet_publish "$OUT/bench" bench/FraudEdge.Bench/FraudEdge.Bench.csproj
echo "== build echo_server, fe_ipc_bench with $CC"
# Out of tree (BUILD), so bench/ipc/build of this machine is left alone; CC reaches clients/c's Makefile too.
make --no-print-directory -C bench/ipc CC="$CC" BUILD="$OUT/native" > /dev/null
rm -rf "$OUT/native/fraudedge-c"

cat > "$OUT/run-ipc.sh" <<'EOF'
#!/bin/sh
# FraudEdge IPC benchmark on this device: the NativeAOT fraudedged, the .NET and C clients, the bare echo and the
# engine in process, all measured in one run (bench/README.md, "On the device"). Extra arguments go to
# `FraudEdge.Bench ipc` (--quick, --service-cpus LIST, --client-cpus LIST, --json FILE ...).
# FE_WORK_DIR: where the sockets and audit logs go (default /var/tmp); use the storage the audit log really uses.
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
WORK=${FE_WORK_DIR:-/var/tmp}
exec "$KIT/bench/FraudEdge.Bench" ipc --service-binary "$KIT/fraudedged/fraudedged" --native-dir "$KIT/native" --work-dir "$WORK" "$@"
EOF
chmod +x "$OUT/run-ipc.sh"

echo "== checks"
fail=0
for f in "$OUT/fraudedged/fraudedged" "$OUT/fraudedged/libonnxruntime.so" "$OUT/bench/FraudEdge.Bench" "$OUT/native/echo_server" "$OUT/native/fe_ipc_bench"; do
  [ -f "$f" ] || { echo "   FAIL: missing $f"; fail=1; continue; }
  m=$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')
  [ "$m" = "$MACHINE" ] || { echo "   FAIL: $f is $m, not $MACHINE"; fail=1; }
done
[ $fail = 0 ] || exit 1
echo "   every program is $MACHINE; kit: $(du -sh "$OUT" | cut -f1) in $OUT"

if [ $SMOKE = 1 ]; then
  host=$(uname -m)
  if { [ "$RID" = linux-x64 ] && [ "$host" = x86_64 ]; } || { [ "$RID" = linux-arm64 ] && [ "$host" = aarch64 ]; }; then
    echo "== smoke: run-ipc.sh --quick --requests 200 --duration-s 1"
    work=$(mktemp -d)
    FE_WORK_DIR=$work "$OUT/run-ipc.sh" --quick --requests 200 --duration-s 1 --json "$work/ipc.json" > "$work/out.txt" 2>&1 \
      || { cat "$work/out.txt"; echo "device-bench-kit.sh: smoke run failed" >&2; exit 1; }
    grep -E '^- service:|^- audit logs|\(iv\)' "$work/out.txt"
    grep -q '"service_exit_code": 0' "$work/ipc.json" || { echo "device-bench-kit.sh: fraudedged did not stop cleanly" >&2; exit 1; }
    rm -rf "$work"
  else
    echo "== smoke skipped: $RID does not run on $host"
  fi
fi
