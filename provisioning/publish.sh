#!/usr/bin/env bash
# Builds the self-contained agent package for a device, on a development machine with the .NET SDK:
#
#   provisioning/publish.sh [OUTPUT_DIR] [RUNTIME]      (defaults: artifacts/agent, linux-arm64)
#
# Produces OUTPUT_DIR/edgevisor-RUNTIME/ (the `edgevisor` executable and its runtime, no .NET install needed on the
# device, plus provisioning/ with install-agent.sh and the unit) and OUTPUT_DIR/edgevisor-RUNTIME.tar.gz to copy
# to the device: `scp edgevisor-linux-arm64.tar.gz pi@device:` then on the device
# `tar xzf edgevisor-linux-arm64.tar.gz && sudo edgevisor-linux-arm64/provisioning/install-agent.sh --package edgevisor-linux-arm64 …`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/artifacts/agent}
runtime=${2:-linux-arm64}
case "$runtime" in
    linux-arm64|linux-arm|linux-x64) ;;
    *) echo "usage: $(basename "$0") [OUTPUT_DIR] [linux-arm64|linux-arm|linux-x64]" >&2; exit 64 ;;
esac

name=edgevisor-$runtime
target=$out/$name
rm -rf "$target" "$out/$name.tar.gz"
mkdir -p "$out"

# Self-contained (the device needs no .NET), one runtime; not trimmed: LiteDB and System.Text.Json bind by
# reflection. Invariant globalization (Directory.Build.props) keeps ICU off the device.
dotnet publish "$repo/src/EdgeVisor.Cli" -c Release -r "$runtime" --self-contained true \
    -p:DebugType=none -p:GenerateDocumentationFile=false -o "$target"

mkdir -p "$target/provisioning"
cp "$repo/provisioning/install-agent.sh" "$repo/provisioning/edgevisor-agent.service" \
    "$repo/provisioning/edgevisor-sysusers.conf" "$repo/provisioning/agent.example.json" \
    "$repo/provisioning/README.md" "$target/provisioning/"
cp "$repo/provisioning/README.md" "$target/README.md"
tar -czf "$out/$name.tar.gz" -C "$out" "$name"
echo "$out/$name.tar.gz"
