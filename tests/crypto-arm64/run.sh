#!/usr/bin/env bash
# FraudEdge.Core.Crypto's known answers on linux-arm64 under qemu user emulation, whose aarch64 sysroot has no libssl
# (like the terminal): once with the ARMv8 SHA-256 instructions (Cortex-A53 with the Cryptographic Extension), once
# with them switched off in the runtime (DOTNET_EnableArm64Sha256=0: the portable path). Then natively on this host.
# Needs: apt-get install -y qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross
set -euo pipefail
cd "$(dirname "$0")"
out="${TMPDIR:-/tmp}/fe-crypto-arm64"
dotnet publish -c Release -r linux-arm64 --self-contained -o "$out" -nologo -v q
status=0
for sha in 1 0; do
  echo "== linux-arm64 under qemu (cortex-a53), DOTNET_EnableArm64Sha256=$sha"
  DOTNET_EnableArm64Sha256=$sha QEMU_LD_PREFIX=/usr/aarch64-linux-gnu QEMU_CPU=cortex-a53 \
    qemu-aarch64-static "$out/CryptoArm64Check" || status=1
done
echo "== $(uname -m), natively"
dotnet run -c Release -nologo || status=1
exit $status
