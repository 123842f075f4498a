#!/usr/bin/env bash
# The measured memory table (README.md, hardware-profiles/README.md): for each hardware profile, fraudedged's
# peak RSS (VmHWM) after start-up and after a sustained load of simulated traffic, JIT and NativeAOT, x64.
#   scripts/memory-table.sh [--seconds S] [--profiles a,b,c]      (default 20 s per run, all three profiles)
# Writes artifacts/memory/memory.json and prints a Markdown table. Takes ~5 minutes on a 2-vCPU VM.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/memory
mkdir -p "$out"

# NativeAOT needs a C toolchain to link (clang, or gcc) and zlib.
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null || [ ! -e /usr/include/zlib.h ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

echo "== NativeAOT fraudedged, linux-x64"
dotnet publish src/FraudEdge.Service -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot-x64" -nologo -v q
echo "== the JIT build and the benchmark"
dotnet build bench/FraudEdge.Bench -c Release -nologo -v q
dotnet run -c Release --no-build --project bench/FraudEdge.Bench -- memory --aot "$out/aot-x64/fraudedged" --json "$out/memory.json" "$@"
