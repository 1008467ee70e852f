#!/usr/bin/env bash
# Checks every service against its own OpenAPI document with schemathesis (pinned below):
# generated valid and invalid requests, all checks (status codes, content types, response
# schemas, headers, valid data accepted, invalid data refused, auth enforced, 405 with Allow),
# and the stateful phase that follows the documents' links (create → read).
#
# Usage: api-check.sh [SERVICE…]      (default: all five)
#   With HOTLINE_RUN_DIR pointing at a running suite, checks that suite; otherwise builds and
#   starts a throwaway one (SQLite in a temp dir, the sample county, free ports) and stops it.
#   API_CHECK_EXAMPLES (default 40) sets the examples per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH
version=4.32.5
# Run through the interpreter pip installs into, so no console-script shim is needed on PATH.
schemathesis() { python3 -c 'import sys; from schemathesis.cli import schemathesis as cli; sys.argv[0] = "schemathesis"; cli()' "$@"; }
if [ "$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" != "$version" ]; then
    echo "api-check: installing schemathesis $version" >&2
    python3 -m pip install -q "schemathesis==$version" 2>&1 | grep -iv "running pip as the 'root' user" >&2 || true
fi
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(intake dispatch supervision survey kpi)

suite_pid=""
tmp=""
cleanup() {
    if [ -n "$suite_pid" ]; then kill -TERM "$suite_pid" 2>/dev/null || true; wait "$suite_pid" 2>/dev/null || true; fi
    [ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
run_dir="${HOTLINE_RUN_DIR:-}"
if [ -z "$run_dir" ]; then
    swift build >/dev/null
    tmp=$(mktemp -d /tmp/hlapi-XXXXXX)
    run_dir="$tmp/run"
    "$(swift build --show-bin-path)/hotline" run --data "$tmp/data" --run-dir "$run_dir" --any-port >"$tmp/suite.log" 2>&1 &
    suite_pid=$!
    for _ in $(seq 1 120); do
        grep -q "all services ready" "$tmp/suite.log" && break
        kill -0 "$suite_pid" 2>/dev/null || { cat "$tmp/suite.log" >&2; echo "api-check: the suite did not start" >&2; exit 1; }
        sleep 0.5
    done
    grep -q "all services ready" "$tmp/suite.log" || { echo "api-check: the suite was not ready in 60 s" >&2; exit 1; }
fi

examples="${API_CHECK_EXAMPLES:-40}"
failed=()
for service in "${services[@]}"; do
    url=$(cat "$run_dir/$service.url")
    echo "api-check: $service at $url" >&2
    if ! schemathesis --no-color --config-file deploy/api-check/schemathesis.toml run "$url/openapi.json" \
        --checks all --max-examples "$examples" --seed "${API_CHECK_SEED:-20261123}" \
        --suppress-health-check all --request-timeout 10 --warnings off; then
        failed+=("$service")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "api-check: FAILED for ${failed[*]}" >&2
    exit 1
fi
echo "api-check: all ${#services[@]} services conform to their documents" >&2
