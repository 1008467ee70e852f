#!/usr/bin/env bash
# Builds the HTTP request parser's libFuzzer target in its own scratch path and runs it for
# a bounded time (default 60 s) on the seed corpus. A crash fails the script and leaves the
# input as crash-* in the working directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH=/opt/swift/usr/bin:$PATH
seconds=${1:-60}
HOTLINE_FUZZ=1 swift build --sanitize=fuzzer --product hotline-fuzz-http --scratch-path .build-fuzz
work=$(mktemp -d /tmp/hlfuzz-XXXXXX)
cp Tests/Fuzz/corpus/http/* "$work/"
.build-fuzz/debug/hotline-fuzz-http -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 "$work"
rm -rf "$work"
