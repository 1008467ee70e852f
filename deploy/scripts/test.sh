#!/usr/bin/env bash
# The test command: builds everything (the end-to-end tests launch the real executables)
# and runs every test. PostgreSQL tests run when HOTLINE_TEST_POSTGRES_URL is set
# (.ci/run starts a throwaway server and sets it).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH
bash deploy/scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
