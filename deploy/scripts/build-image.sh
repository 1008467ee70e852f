#!/usr/bin/env bash
# Builds Hotline's image (deploy/Dockerfile) with podman, or docker where podman is absent.
#   build-image.sh [--host] [--tag NAME]
#     --host  compile here (swift build -c release --static-swift-stdlib, scratch .build-release)
#             and copy the binaries in: the runtime-host target, which needs only the runtime
#             base image, not the Swift image (for machines that reach no registry).
#     --tag   the image's name [hotline:latest]
set -euo pipefail
cd "$(dirname "$0")/../.."
host=0; tag=hotline:latest
while [ $# -gt 0 ]; do
    case "$1" in
        --host) host=1 ;;
        --tag) tag=${2:?--tag needs a name}; shift ;;
        *) echo "use: build-image.sh [--host] [--tag NAME]" >&2; exit 64 ;;
    esac
    shift
done
engine=$(command -v podman || command -v docker || true)
[ -n "$engine" ] || { echo "build-image: neither podman nor docker is installed" >&2; exit 1; }
format=(); [ "$(basename "$engine")" = podman ] && format=(--format docker)   # keeps HEALTHCHECK
if [ $host = 1 ]; then
    export PATH=/opt/swift/usr/bin:$PATH
    swift build -c release --static-swift-stdlib --scratch-path .build-release >&2
    rm -rf out/image
    bash deploy/scripts/stage-binaries.sh "$(swift build -c release --static-swift-stdlib --scratch-path .build-release --show-bin-path)" out/image
    "$engine" build "${format[@]}" --pull=never --target runtime-host -f deploy/Dockerfile -t "$tag" .
else
    "$engine" build "${format[@]}" --target runtime -f deploy/Dockerfile -t "$tag" .
fi
