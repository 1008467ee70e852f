#!/usr/bin/env bash
# Compares two builds of `hotline` by running the same simulation with both AT ONCE.
#   simulate-duel.sh OLD/hotline NEW/hotline [DAYS] [TICKETS_PER_DAY] [ROUNDS]
# This host's speed swings by ±15% within minutes, so runs one after the other compare the
# host's stretches more than the builds. Run together, both see the same stretch and share
# the cores; the CPU each spent on the same work (user + system, all its processes) is the
# figure to compare. Each round alternates which build starts first. Prints each round and the
# mean ratio of CPU (new / old); the report hashes must be equal.
set -euo pipefail
old=${1:?old hotline binary}; new=${2:?new hotline binary}
days=${3:-3}; per_day=${4:-3000}; rounds=${5:-2}
config=$(cd "$(dirname "$0")/../config" && pwd)
work=$(mktemp -d /tmp/hl-duel-XXXXXX)
trap 'rm -rf "$work"' EXIT
run() {  # BIN NAME
    { TIMEFORMAT='%U %S'; time "$1" simulate --config "$config" --days "$days" --tickets-per-day "$per_day" --speed max --quiet \
        > "$work/$2.out" 2>&1; } 2> "$work/$2.time"
}
ratios=()
for round in $(seq "$rounds"); do
    if (( round % 2 )); then run "$old" old & run "$new" new & else run "$new" new & run "$old" old & fi
    wait
    for k in old new; do
        printf '  round %d %-3s %s, CPU %.1f s, %s MB written per 1,000 tickets, %s\n' "$round" "$k" \
            "$(grep -oE '[0-9]+ tickets/s' "$work/$k.out" || echo 'no result')" "$(awk '{print $1 + $2}' "$work/$k.time")" \
            "$(grep -oE 'MB written per 1,000 tickets: .* = [0-9.]+' "$work/$k.out" | grep -oE '[0-9.]+$' || echo '?')" \
            "$(grep -oE 'sha256 [0-9a-f]{8}' "$work/$k.out" || echo 'no report')"
    done
    ratios+=("$(awk 'NR == FNR {old = $1 + $2; next} {print ($1 + $2) / old}' "$work/old.time" "$work/new.time")")
done
printf '%s\n' "${ratios[@]}" | awk '{s += $1} END {printf "CPU new / old: %.3f (mean of %d rounds)\n", s / NR, NR}'
