#!/usr/bin/env bash
# Soak test, run on demand (not in CI): fraudedged under continuous simulated traffic, VmRSS sampled every
# second; passes (exit 0) if the peak stays within the profile's memory budget and anonymous memory (RssAnon,
# what a leak grows) does not trend upward (least-squares rise over the second half of the run < 1 % of the budget); the VmRSS
# slope is reported too (it includes code pages faulting back in after start-up, bounded by the files).
#   scripts/soak.sh [--minutes M] [--profile NAME] [--jit]     (default: 10 minutes, entry-a53, NativeAOT)
# The NativeAOT service runs with the profile's own budget; --jit soaks the JIT build against 256 MiB
# (its runtime alone is over entry-a53's 48 MiB). Writes artifacts/soak/soak.json.
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/soak
mkdir -p "$out"
minutes=10 profile=entry-a53 jit=0
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --jit) jit=1; shift ;;
    *) echo "usage: scripts/soak.sh [--minutes M] [--profile NAME] [--jit]" >&2; exit 2 ;;
  esac
done

aot_args=()
if [ "$jit" = 0 ]; then
  if ! command -v clang >/dev/null && ! command -v gcc >/dev/null || [ ! -e /usr/include/zlib.h ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq clang zlib1g-dev >/dev/null
  fi
  echo "== NativeAOT fraudedged, linux-x64"
  dotnet publish src/FraudEdge.Service -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot-x64" -nologo -v q
  aot_args=(--aot "$out/aot-x64/fraudedged")
fi
dotnet build bench/FraudEdge.Bench -c Release -nologo -v q
dotnet run -c Release --no-build --project bench/FraudEdge.Bench -- soak "${aot_args[@]}" --profile "$profile" --minutes "$minutes" --json "$out/soak.json"
