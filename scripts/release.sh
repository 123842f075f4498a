#!/usr/bin/env bash
# Release artefacts (README "Release builds and ARM", docs/operations.md "Release artefacts").
#
#   scripts/release.sh [--no-smoke | --smoke-only] [--rid linux-x64|linux-arm64 ...]
#
# Publishes into artifacts/release/<rid>/<variant>/:
#   fraudedged-trimmed   the service, self-contained, trimmed (JIT runtime in the folder)
#   fraudedge-trimmed    the CLI, self-contained, trimmed
#   fraudedged-aot       the service, NativeAOT (one executable + libonnxruntime.so)
# for linux-x64 and linux-arm64 (arm64 AOT is cross-compiled with clang-14 and the gcc aarch64 cross toolchain).
# Every service publish runs with warnings as errors and one line per trim/AOT warning (TrimmerSingleWarn=false),
# so a trim or AOT warning fails the release. Debug symbols go to artifacts/release/symbols/, not into the folders
# a device gets. Then: no Windows natives, the ELF machine of every binary matches its RID, the dynamic
# dependencies of the AOT binaries (readelf -d / ldd), a smoke run of the linux-x64 AOT and trimmed services with
# the shipped model (Ping, three Score requests, Status through clients/c's fe_score, SIGTERM, the audit log
# verified by the published CLI), and a size table printed and written to artifacts/release/sizes.json.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=$REPO/artifacts/release
SMOKE=1
PUBLISH=1
RIDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-smoke) SMOKE=0 ;;
    --smoke-only) PUBLISH=0 ;; # checks, smoke run and sizes of artefacts already published
    --rid) RIDS+=("$2"); shift ;;
    -h|--help) sed -n '2,/^set -e/{/^#/p}' "$0"; exit 0 ;;
    *) echo "release.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#RIDS[@]} -gt 0 ] || RIDS=(linux-x64 linux-arm64)

SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
need_pkgs=()
command -v clang-14 >/dev/null || need_pkgs+=(clang-14)
command -v aarch64-linux-gnu-gcc >/dev/null || need_pkgs+=(gcc-aarch64-linux-gnu)
command -v aarch64-linux-gnu-objcopy >/dev/null || need_pkgs+=(binutils-aarch64-linux-gnu)
[ -e /usr/aarch64-linux-gnu/lib/crt1.o ] || need_pkgs+=(libc6-dev-arm64-cross)
{ command -v readelf >/dev/null && command -v objdump >/dev/null; } || need_pkgs+=(binutils)
command -v file >/dev/null || need_pkgs+=(file)
command -v python3 >/dev/null || need_pkgs+=(python3)
{ command -v gcc >/dev/null && command -v make >/dev/null; } || need_pkgs+=(gcc make libc6-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== apt-get install ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# ILCompiler picks its linker from CppCompilerAndLinker; for arm64 it passes --target=aarch64-linux-gnu and
# clang finds the gcc cross toolchain (crt files, libgcc) under /usr/lib/gcc-cross by itself. Do not pass
# -p:SysRoot=/usr/aarch64-linux-gnu: Debian's cross libc.so is a linker script with absolute paths that ld
# would then look for inside the sysroot.
COMMON=(-c Release --self-contained -nologo -warnaserror -p:TreatWarningsAsErrors=true -p:TrimmerSingleWarn=false)
SERVICE=src/FraudEdge.Service/FraudEdge.Service.csproj
CLI=src/FraudEdge.Cli/FraudEdge.Cli.csproj

publish() { # rid variant project extra-args...
  local rid=$1 variant=$2 project=$3; shift 3
  local dest=$OUT/$rid/$variant syms=$OUT/symbols/$rid/$variant
  rm -rf "$dest" "$syms"
  mkdir -p "$syms"
  echo "== publish $rid/$variant"
  local t0=$SECONDS
  local log; log=$(mktemp)
  if ! dotnet publish "$project" -r "$rid" "${COMMON[@]}" -o "$dest" "$@" > "$log" 2>&1; then
    cat "$log"; echo "release.sh: publish of $rid/$variant failed" >&2; exit 1
  fi
  # Warnings are errors, so a successful publish printed none; show what it did say, minus restore chatter.
  grep -vE '^\s*$|Determining projects|up-to-date for restore|Restored ' "$log" | sed 's/^ */   /' || true
  rm -f "$log"
  [ -n "$(ls -A "$dest")" ] || { echo "release.sh: $rid/$variant is empty" >&2; exit 1; }
  find "$dest" -maxdepth 1 \( -name '*.dbg' -o -name '*.pdb' \) -exec mv {} "$syms/" \;
  echo "   $((SECONDS - t0)) s"
}

for rid in "${RIDS[@]}"; do
  [ $PUBLISH = 1 ] || break
  publish "$rid" fraudedged-trimmed "$SERVICE" -p:PublishTrimmed=true
  publish "$rid" fraudedge-trimmed "$CLI" -p:PublishTrimmed=true
  publish "$rid" fraudedged-aot "$SERVICE" -p:PublishAot=true -p:CppCompilerAndLinker=clang-14
done

echo "== checks"
fail=0
for rid in "${RIDS[@]}"; do
  case $rid in linux-x64) machine="Advanced Micro Devices X86-64" ;; linux-arm64) machine="AArch64" ;; esac
  for dir in "$OUT/$rid"/*/; do
    # No Windows natives: no PE file that is not a .NET assembly, nothing under runtimes/win-*.
    while IFS= read -r -d '' f; do
      if file -b "$f" | grep -q 'MS Windows' && ! file -b "$f" | grep -q 'Mono/.Net assembly'; then
        echo "   FAIL: Windows native in a Linux publish: $f"; fail=1
      fi
    done < <(find "$dir" -iname '*.dll' -print0)
    if find "$dir" -path '*runtimes/win*' | grep -q .; then echo "   FAIL: runtimes/win* in $dir"; fail=1; fi
    # Every ELF file is for the RID's machine.
    while IFS= read -r -d '' f; do
      if head -c 4 "$f" | grep -q 'ELF'; then
        m=$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')
        [ "$m" = "$machine" ] || { echo "   FAIL: $f is $m, not $machine"; fail=1; }
      fi
    done < <(find "$dir" -type f -print0)
  done
done
[ $fail = 0 ] || exit 1
echo "   no Windows natives; every ELF file matches its RID"

echo "== dynamic dependencies of the AOT binaries (readelf -d: NEEDED; objdump -T: newest GLIBC/GLIBCXX symbol version)"
NEEDED_JSON=$(mktemp)
echo '{}' > "$NEEDED_JSON"
for rid in "${RIDS[@]}"; do
  for f in fraudedged libonnxruntime.so; do
    p=$OUT/$rid/fraudedged-aot/$f
    libs=$(readelf -d "$p" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    # The newest symbol versions it binds to: the oldest glibc / libstdc++ a device image may have.
    versions=$(objdump -T "$p" | grep -oE 'GLIBC(XX)?_[0-9.]+' | sort -uV | awk -F_ '{v[$1]=$0} END {for (k in v) printf "%s ", v[k]}')
    libs="$libs $versions"
    printf '   %-12s %-18s %s\n' "$rid" "$f" "$libs"
    python3 - "$NEEDED_JSON" "$rid" "$f" "$libs" <<'PY'
import json, sys
path, rid, f, libs = sys.argv[1:]
d = json.load(open(path)); d.setdefault(rid, {})[f] = libs.split()
json.dump(d, open(path, "w"))
PY
  done
done
if [[ " ${RIDS[*]} " == *" linux-x64 "* ]]; then
  echo "   ldd linux-x64 fraudedged-aot/fraudedged:"
  ldd "$OUT/linux-x64/fraudedged-aot/fraudedged" | sed 's/ (0x[0-9a-f]*)//; s/^/     /'
  echo "   ldd linux-x64 fraudedged-aot/libonnxruntime.so:"
  ldd "$OUT/linux-x64/fraudedged-aot/libonnxruntime.so" | sed 's/ (0x[0-9a-f]*)//; s/^/     /'
fi

SMOKE_JSON=$(mktemp)
echo '{}' > "$SMOKE_JSON"
if [ $SMOKE = 1 ] && [[ " ${RIDS[*]} " == *" linux-x64 "* ]]; then
  echo "== smoke run: the published linux-x64 services with the shipped model"
  make -C clients/c build/fe_score >/dev/null
  FE=clients/c/build/fe_score
  CLI_BIN=$OUT/linux-x64/fraudedge-trimmed/fraudedge
  for variant in fraudedged-aot fraudedged-trimmed; do
    work=$(mktemp -d /tmp/fe-release-smoke.XXXXXX)
    bin=$OUT/linux-x64/$variant/fraudedged
    # The trimmed JIT build needs ~80 MiB: over entry-a53's 48 MiB, which is the AOT build's budget (hardware-profiles/README.md).
    budget=(); [ "$variant" = fraudedged-trimmed ] && budget=(--memory-budget-mib 256)
    t0=$(date +%s%N)
    "$bin" --socket "$work/fe.sock" --audit "$work/audit" --profile hardware-profiles/entry-a53.json "${budget[@]}" \
      --model models/fraudedge-slm --trusted-key keys/test/fraudedge-test-signing.pub.pem > "$work/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
      [ -S "$work/fe.sock" ] && $FE --socket "$work/fe.sock" --ping >/dev/null 2>&1 && break
      kill -0 $pid 2>/dev/null || break
      sleep 0.05
    done
    ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if ! $FE --socket "$work/fe.sock" --ping > "$work/ping" 2>&1; then
      echo "   FAIL: $variant did not answer a Ping"; cat "$work/log"; kill $pid 2>/dev/null || true; exit 1
    fi
    $FE --socket "$work/fe.sock" --count 3 > "$work/score"
    $FE --socket "$work/fe.sock" --status > "$work/status"
    # What the running process really mapped: readelf's NEEDED list plus what is dlopen'ed (libonnxruntime.so by the
    # ORT binding, OpenSSL by System.Security.Cryptography).
    loaded=$(grep -oE '/[^ ]+\.so[^ ]*$' /proc/$pid/maps | sort -u | xargs -n1 basename | grep -v '^System\.' | tr '\n' ' ')
    kill -TERM $pid
    wait $pid && code=0 || code=$?
    model=$(sed -n 's/^model_name=//p' "$work/status")
    decisions=$(sed -n 's/^decisions=//p' "$work/status")
    peak=$(sed -n 's/^peak_rss_bytes=//p' "$work/status")
    verified=$("$CLI_BIN" verify "$work/audit" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["intact"], d["decisions"])')
    printf '   %-20s ready %4d ms  %s  %s\n' "$variant" "$ready_ms" "$(tr '\n' ' ' < "$work/ping")" "model=$model decisions=$decisions peak_rss=$peak exit=$code audit(intact,decisions)=$verified"
    sed 's/^/     /' "$work/score"
    echo "     shared objects mapped while serving: $loaded"
    if [ "$model" != fraudedge-slm ] || [ "$decisions" != 3 ] || [ $code != 0 ] || [ "$verified" != "True 3" ] || ! grep -q 'source=model' "$work/score"; then
      echo "   FAIL: $variant smoke run"; cat "$work/log"; exit 1
    fi
    python3 - "$SMOKE_JSON" "$variant" "$ready_ms" "$peak" "$loaded" <<'PY'
import json, sys
path, variant, ready, peak, loaded = sys.argv[1:]
d = json.load(open(path)); d[variant] = {"ready_ms": int(ready), "peak_rss_bytes_after_3_decisions": int(peak), "ping": True, "scores": 3,
                                         "audit_intact": True, "shared_objects_mapped": loaded.split()}
json.dump(d, open(path, "w"))
PY
    rm -rf "$work"
  done
fi

echo "== sizes"
python3 - "$OUT" "$NEEDED_JSON" "$SMOKE_JSON" "${RIDS[@]}" <<'PY'
import json, os, platform, subprocess, sys, datetime
out, needed_path, smoke_path, *rids = sys.argv[1:]
def folder(path):
    total = count = 0
    for root, _, files in os.walk(path):
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                total += os.path.getsize(p); count += 1
    return total, count
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
sdk = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
rows, artefacts = [], []
for rid in rids:
    for variant, main in (("fraudedged-trimmed", "fraudedged"), ("fraudedge-trimmed", "fraudedge"), ("fraudedged-aot", "fraudedged")):
        d = os.path.join(out, rid, variant)
        if not os.path.isdir(d): continue
        total, count = folder(d)
        files = {f: os.path.getsize(os.path.join(d, f)) for f in sorted(os.listdir(d)) if os.path.isfile(os.path.join(d, f))}
        ort = files.get("libonnxruntime.so", 0)
        mib = lambda b: b / 1048576
        artefacts.append({"rid": rid, "variant": variant, "folder": os.path.relpath(d), "main_binary": main,
                          "main_binary_bytes": files[main], "libonnxruntime_bytes": ort, "folder_bytes": total, "files": count,
                          "largest_files": dict(sorted(files.items(), key=lambda kv: -kv[1])[:8])})
        rows.append((rid, variant, files[main], ort, total, count))
print(f"{'rid':<12} {'artefact':<20} {'binary':>12} {'libonnxruntime.so':>18} {'folder total':>14} {'files':>6}")
for rid, variant, main, ort, total, count in rows:
    print(f"{rid:<12} {variant:<20} {main/1048576:>9.2f} MiB {ort/1048576:>14.2f} MiB {total/1048576:>10.2f} MiB {count:>6}")
doc = {
    "generated_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "command": "scripts/release.sh",
    "machine": f"{cpu}, {os.cpu_count()} vCPU, {platform.system()} {platform.machine()}",
    "dotnet_sdk": sdk,
    "sizes_are": "bytes; folder_bytes = every file a device gets (symbols are in artifacts/release/symbols, not counted)",
    "artefacts": artefacts,
    "aot_needed_libraries": json.load(open(needed_path)),
    "smoke_run_linux_x64": json.load(open(smoke_path)),
}
with open(os.path.join(out, "sizes.json"), "w") as f:
    json.dump(doc, f, indent=2); f.write("\n")
print(f"written: {os.path.relpath(os.path.join(out, 'sizes.json'))}")
PY
rm -f "$NEEDED_JSON" "$SMOKE_JSON"
