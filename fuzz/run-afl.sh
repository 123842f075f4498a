#!/usr/bin/env bash
# Fuzz one FraudEdge.Core or FraudEdge.Protocol target under AFL++ with SharpFuzz instrumentation.
#
#   fuzz/run-afl.sh TARGET [SECONDS]        SECONDS default 60; TARGET: event | snapshot | snapshot-payload (Core),
#                                           frame | score-request | outcome-notice | score-response |
#                                           status-response | error-response (Protocol)
#
# Installs what it needs when missing (Debian's afl++, the SharpFuzz.CommandLine dotnet tool), publishes
# fuzz/FraudEdge.Fuzz, instruments the target's assembly (FraudEdge.Core.dll or FraudEdge.Protocol.dll) in the
# published copy, runs afl-fuzz on
# fuzz/corpus/TARGET for SECONDS, prints AFL's own throughput and crash counts, and copies every crash
# input to fuzz/crashes/TARGET/<sha256-prefix>.bin. Commit new crash files: tests/FraudEdge.Fuzz.Tests
# replays them on every run, so each one stays a regression test after the fix.
#
# Environment: FUZZ_OUT (default fuzz/out) holds the publish folder and AFL's findings (git-ignored);
# AFL_TIMEOUT_MS (default 5000) is the per-input timeout; extra afl-fuzz flags in AFL_FLAGS.
set -euo pipefail

target=${1:?usage: fuzz/run-afl.sh TARGET [SECONDS]  (targets: event, snapshot, snapshot-payload, frame, score-request, outcome-notice, score-response, status-response, error-response)}
seconds=${2:-60}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${FUZZ_OUT:-$repo/fuzz/out}
corpus=$repo/fuzz/corpus/$target
crashes=$repo/fuzz/crashes/$target

# The assembly whose branches AFL sees: the code under test, not the harness.
case "$target" in
  event|snapshot|snapshot-payload) assembly=FraudEdge.Core.dll ;;
  frame|score-request|outcome-notice|score-response|status-response|error-response) assembly=FraudEdge.Protocol.dll ;;
  *) echo "unknown target '$target'" >&2; exit 2 ;;
esac
[ -d "$corpus" ] || { echo "no seed corpus at $corpus" >&2; exit 2; }

if ! command -v afl-fuzz >/dev/null; then
  echo "== installing afl++ (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null; then
  echo "== installing the SharpFuzz instrumenting tool"
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
fi

publish=$out/publish
echo "== publishing fuzz/FraudEdge.Fuzz to $publish"
# A fresh folder every time: sharpfuzz refuses to instrument an already-instrumented assembly, and an
# incremental publish may leave the instrumented copy in place.
rm -rf "$publish"
dotnet publish "$repo/fuzz/FraudEdge.Fuzz" -c Release -o "$publish" --nologo -v quiet
echo "== instrumenting $assembly"
sharpfuzz "$publish/$assembly"

findings=$out/findings-$target
rm -rf "$findings"
mkdir -p "$findings" "$crashes"

echo "== afl-fuzz $target for ${seconds}s"
# AFL_SKIP_BIN_CHECK: the fuzzed program is `dotnet`, not an afl-instrumented ELF; the coverage map is
# written by the instrumented assembly through SharpFuzz. The machine is shared: no CPU pinning.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# shellcheck disable=SC2086
afl-fuzz -V "$seconds" -t "${AFL_TIMEOUT_MS:-5000}" -m none -i "$corpus" -o "$findings" ${AFL_FLAGS:-} \
  -- dotnet "$publish/FraudEdge.Fuzz.dll" "$target" > "$findings/afl.log" 2>&1 || {
    status=$?
    tail -40 "$findings/afl.log" >&2
    exit $status
  }

stats=$findings/default/fuzzer_stats
if [ -f "$stats" ]; then
  echo "== $target: AFL statistics"
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|saved_crashes|saved_hangs|bitmap_cvg|stability) ' "$stats"
  run_time=$(awk '$1=="run_time"{print $3}' "$stats")
  execs=$(awk '$1=="execs_done"{print $3}' "$stats")
  [ "${run_time:-0}" -gt 0 ] && echo "average execs/s over the run: $((execs / run_time))"
fi

new=0
for f in "$findings"/default/crashes/id:*; do
  [ -e "$f" ] || continue
  name=$(sha256sum "$f" | cut -c1-16).bin
  if [ ! -e "$crashes/$name" ]; then cp "$f" "$crashes/$name"; new=$((new + 1)); fi
done
echo "== $target: $new new crash input(s) copied to fuzz/crashes/$target/"
if [ "$new" -gt 0 ]; then
  echo "replay them: dotnet run -c Release --project fuzz/FraudEdge.Fuzz -- $target --replay fuzz/crashes/$target"
fi
