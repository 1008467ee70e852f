#!/usr/bin/env bash
# The start command: installs what is missing, builds (release), and runs the whole suite on
# the embedded default (SQLite in ./data, the sample county). Extra arguments go to
# `hotline run` (see `hotline --help`).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH
bash deploy/scripts/setup.sh
# Static Swift libraries, as in the container image: each process maps only the runtime code
# it uses (idle resident memory of the six processes 169 → 141 MB).
swift build -c release --static-swift-stdlib
exec .build/release/hotline run "$@"
