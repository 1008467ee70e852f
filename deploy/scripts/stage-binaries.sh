#!/usr/bin/env bash
# Copies what the image needs from a release build into one directory: the seven executables
# (stripped; each service carries its OpenAPI document inside). Used by the Dockerfile's build
# stage and by build-image.sh --host.
#   stage-binaries.sh BIN_PATH OUT_DIR
set -euo pipefail
bin=${1:?use: stage-binaries.sh BIN_PATH OUT_DIR}
out=${2:?use: stage-binaries.sh BIN_PATH OUT_DIR}
mkdir -p "$out"
for exe in hotline hotline-bus hotline-intake hotline-dispatch hotline-supervision hotline-callback-survey hotline-kpi; do
    [ -x "$bin/$exe" ] || { echo "stage-binaries: $bin/$exe is missing (swift build -c release --static-swift-stdlib)" >&2; exit 1; }
    install -m 0755 "$bin/$exe" "$out/$exe"
    strip "$out/$exe" 2>/dev/null || true
done
