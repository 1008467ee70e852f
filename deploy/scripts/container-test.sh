#!/usr/bin/env bash
# Brings the top-level docker-compose.yml up with real containers (podman + podman-compose, no
# Docker engine needed) and walks a ticket through it: ticket → dispatch → accept → reply →
# callback → closed → KPI, over ports published on 127.0.0.1. Then restarts the dispatch
# container and the PostgreSQL container, checks nothing was lost (the ticket, the figures,
# an audit recomputation from every stream) and that a second ticket flows, and takes it all
# down. Run as root (rootful podman with runc and cgroupfs: no systemd needed).
#
#   container-test.sh [--keep]     (--keep: leave the containers up for a look)
#
# Offline by design: the runtime base image is made with debootstrap (minbase bookworm from
# this machine's configured apt mirror) when no debian:bookworm-slim image is present; the
# binaries are compiled on the host (build-image.sh --host); PostgreSQL is a stand-in for the
# official image built from Debian's package (container-test/postgres.Dockerfile).
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(…) stops the test too
cd "$(dirname "$0")/../.."
keep=0; [ "${1:-}" = --keep ] && keep=1
started=$(date +%s)
say() { echo "container-test [$(( $(date +%s) - started ))s]: $*" >&2; }
[ "$(id -u)" = 0 ] || { echo "container-test: run as root (rootful podman)" >&2; exit 1; }

# --- tools ------------------------------------------------------------------------------
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v podman-compose >/dev/null || pip install -q podman-compose 2>&1 | grep -v "WARNING: Running pip as" >&2 || true

work=$(mktemp -d /tmp/hotline-ct-XXXXXX)
# Podman as this machine allows: runc, cgroupfs, no default ulimits, file event log. Kept
# outside $work: podman's clean-up processes read it after the containers are gone.
conf=/tmp/hotline-container-test.containers.conf
cat > "$conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF=$conf
project=hotline-ct
compose() { (cd "$work/project" && podman-compose -p "$project" "$@"); }
cleanup() {
    local status=$?
    if [ $keep = 1 ]; then
        say "left running (project $project in $work/project; tokens in $work/project/secrets/tokens.txt)"
        return
    fi
    if [ $status != 0 ] && [ -d "$work/project" ]; then
        say "failed; the containers' last words:"
        for c in $(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}'); do
            echo "--- $c ($(podman inspect -f '{{.State.Status}} exit {{.State.ExitCode}}' "$c"))" >&2
            podman logs --tail 15 "$c" 2>&1 | cut -c1-400 >&2 || true
        done
    fi
    [ -d "$work/project" ] && compose down -v >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# --- the compose file, validated as Docker's compose reads it ------------------------------
docker-compose -f docker-compose.yml config -q
say "docker-compose config: valid"

# --- images -----------------------------------------------------------------------------
if ! podman image exists debian:bookworm-slim; then
    # The mirror this machine's apt uses (deb822 or one-line sources), never a fixed host.
    mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
                                  awk '{print $2}' | grep -v security | head -1 || true)
    [ -n "$mirror" ] || { echo "container-test: no apt mirror configured" >&2; exit 1; }
    say "building debian:bookworm-slim with debootstrap from $mirror"
    debootstrap --variant=minbase --include=libsqlite3-0,libpq5,ca-certificates,tzdata bookworm "$work/rootfs" "$mirror" >/dev/null
    tar -C "$work/rootfs" -c . | podman import -q - debian:bookworm-slim >/dev/null
    rm -rf "$work/rootfs"
fi
say "building the hotline image from host-built binaries"
bash deploy/scripts/build-image.sh --host --tag localhost/hotline:test >"$work/build.log" 2>&1 ||
    { tail -30 "$work/build.log" >&2; exit 1; }
say "building the PostgreSQL stand-in image (cached layers after the first time)"
podman build -q --pull=never --format docker -t localhost/hotline-postgres-standin:15 \
    -f deploy/scripts/container-test/postgres.Dockerfile deploy/scripts/container-test >/dev/null

# --- a project directory of its own: the compose file, its deploy files, fresh secrets -------
mkdir -p "$work/project/deploy"
cp docker-compose.yml "$work/project/"
cp -R deploy/config deploy/postgres "$work/project/deploy/"
python3 deploy/scripts/make-secrets.py --config deploy/config "$work/project/secrets" >/dev/null
export HOTLINE_IMAGE=localhost/hotline:test HOTLINE_POSTGRES_IMAGE=localhost/hotline-postgres-standin:15
export HOTLINE_INTAKE_HOST_PORT=18080 HOTLINE_DISPATCH_HOST_PORT=18081 HOTLINE_SUPERVISION_HOST_PORT=18082
export HOTLINE_SURVEY_HOST_PORT=18083 HOTLINE_KPI_HOST_PORT=18084
token() { awk -v k="$1" '$0 ~ "^"k": " {print $NF}' "$work/project/secrets/tokens.txt"; }
PHONE=$(token "channel phone_12345"); CENTRE=$(token "centre centre-1"); AGENT=$(token "callback_agent agent-1")
AUDITOR=$(token "auditor auditor-1"); UNIT=$(token "unit unit-xicheng")

container() { podman ps -a --filter "label=io.podman.compose.project=$project" --filter "label=io.podman.compose.service=$1" --format '{{.Names}}' | head -1; }
# Podman runs health checks from systemd timers; without systemd they are run here, as the
# `depends_on: condition: service_healthy` of the compose file would wait for them.
wait_healthy() {
    local deadline=$(( $(date +%s) + ${2:-120} )) name
    name=$(container "$1")
    [ -n "$name" ] || { echo "container-test: no container for $1" >&2; return 1; }
    until podman healthcheck run "$name" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "container-test: $1 not healthy in time" >&2; return 1; }
        sleep 1
    done
    say "$1 healthy ($name)"
}

# --- up, in the order the depends_on conditions give -----------------------------------------
say "up: postgres and bus"
compose up -d postgres bus >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
wait_healthy postgres
wait_healthy bus
say "up: the five services"
compose up -d >>"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
for s in intake dispatch supervision survey kpi; do wait_healthy "$s"; done

# Every published port is on loopback only.
# (Outputs are captured before grep -q: its early exit would fail the pipe under pipefail.)
published=$(podman ps --filter "label=io.podman.compose.project=$project" --format '{{.Ports}}' | tr ',' '\n' | grep -E -- '->' || true)
[ "$(grep -c . <<<"$published")" -ge 5 ] || { echo "container-test: the five ports are not published: $published" >&2; exit 1; }
if grep -v '127.0.0.1:' <<<"$published" >/dev/null; then
    echo "container-test: a port is published beyond 127.0.0.1: $published" >&2; exit 1
fi

# --- the README's walk-through ----------------------------------------------------------------
J='Content-Type: application/json'
call() { # METHOD PORT PATH TOKEN [BODY] → body on stdout; fails unless 2xx
    local out status
    out=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$1" "http://127.0.0.1:$2$3" -H "Authorization: Bearer $4" \
          ${5:+-H "$J" -d "$5"})
    status=$out
    if [ "${status:0:1}" != 2 ]; then echo "container-test: $1 $3 → $status $(head -c 400 "$work/body")" >&2; return 1; fi
    cat "$work/body"
}
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d, "json": json}))' "$1"; }
# Polls CMD until it prints something non-empty (the suite is eventually consistent).
eventually() {
    local deadline=$(( $(date +%s) + 60 )) out
    while :; do
        out=$("$@" 2>/dev/null || true)
        [ -n "$out" ] && [ "$out" != None ] && { echo "$out"; return 0; }
        [ "$(date +%s)" -lt "$deadline" ] || { echo "container-test: timed out waiting for: $*" >&2; return 1; }
        sleep 1
    done
}
assignment_of() { call GET 18081 /v1/assignments "$UNIT" | field "next((a['id'] for a in d if a['ticket'] == '$1'), None)"; }
status_of() { call GET 18080 "/v1/tickets/$1" "$CENTRE" | field "d['status']"; }
closed() { [ "$(status_of "$1")" = closed ] && echo yes; }

walk() { # REF → the ticket id, after it went all the way to closed
    local ref=$1 ticket assignment
    ticket=$(call POST 18080 /v1/tickets "$PHONE" '{"channel_ref":"'"$ref"'","kind":"complaint","category":"city.sanitation",
        "content":"小区门口垃圾三天没有清运","caller":{"name":"王先生","phone":"13812345678"},
        "location":{"address":"西城街道","region":"330901003002004"}}' | field "d['id']")
    assignment=$(eventually assignment_of "$ticket")
    call POST 18081 "/v1/assignments/$assignment/accept" "$UNIT" >/dev/null
    call POST 18081 "/v1/assignments/$assignment/reply" "$UNIT" '{"result":"已安排环卫清运"}' >/dev/null
    # The callback is due once survey has seen the reply on the bus.
    eventually call POST 18083 "/v1/callbacks/$ticket" "$AGENT" '{"reached":true,"resolved":true,"satisfaction":"satisfied"}' >/dev/null
    eventually closed "$ticket" >/dev/null
    say "ticket $ticket: received → $assignment accepted, replied → called back → closed"
    echo "$ticket"
}
period=$(TZ=Asia/Shanghai date +%Y-%m)
figures() { call GET 18084 "/v1/kpi?period=$period&by=unit" "$AUDITOR" |
            python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["total"], d.get("units")], sort_keys=True, indent=1))'; }
received() { call GET 18084 "/v1/kpi?period=$period" "$AUDITOR" | python3 -c '
import json, sys
total = {f["id"]: f for f in json.load(sys.stdin)["total"]}
print(total["received"]["value"], total["satisfaction_rate"].get("numerator"))'; }
until_received() { [ "$(received)" = "$1" ] && echo yes; }

first=$(walk ct-0001)
eventually until_received "1 1" >/dev/null
say "kpi: 1 ticket received, 1 satisfied"
before=$(figures)
# Metrics need their token; a staff token from before the rotation works.
curl -sf -o /dev/null "http://127.0.0.1:18080/metrics" && { echo "container-test: /metrics answered without its token" >&2; exit 1; }
curl -sf -o /dev/null -H "Authorization: Bearer $(cat "$work/project/secrets/metrics-token")" "http://127.0.0.1:18080/metrics"

# --- restarts: a service container and the database -------------------------------------------
say "restarting the dispatch container and the PostgreSQL container"
podman restart -t 20 "$(container dispatch)" >/dev/null
podman restart -t 20 "$(container postgres)" >/dev/null
wait_healthy postgres
for s in intake dispatch supervision survey kpi; do wait_healthy "$s"; done
[ "$(status_of "$first")" = closed ] || { echo "container-test: $first is not closed after the restarts" >&2; exit 1; }
after=$(figures)
[ "$before" = "$after" ] || { echo "container-test: the figures changed across the restarts" >&2; diff <(echo "$before") <(echo "$after") >&2; exit 1; }
second=$(walk ct-0002)
eventually until_received "2 2" >/dev/null
say "after the restarts: $first still closed, the figures unchanged, $second went through"

# The auditor's recomputation from every stream, run where kpi runs.
audit=$(podman exec -e HOTLINE_AUDITOR_TOKEN="$AUDITOR" "$(container kpi)" /usr/local/bin/hotline audit recompute --period "$period" 2>&1) ||
    { echo "container-test: audit recompute failed: $audit" >&2; exit 1; }
say "audit: $(echo "$audit" | grep -m1 -iE 'identical|differ' || echo "$audit" | tail -1)"

# A service cannot speak for another on the bus: from intake's uid, the admin name is refused.
spoof=$(podman exec "$(container intake)" /usr/local/bin/hotline clock set 2030-01-01T00:00:00+08:00 2>&1 || true)
grep -q 'hotline may not connect as uid 10001' <<<"$spoof" ||
    { echo "container-test: the bus did not refuse the admin name from intake's uid: $spoof" >&2; exit 1; }
bus_log=$(podman logs "$(container bus)" 2>&1)
grep -q '"bus.reason":"hotline may not connect as uid 10001"' <<<"$bus_log" ||
    { echo "container-test: the bus did not log the refusal" >&2; exit 1; }
say "bus: the admin name from intake's uid refused"

say "passed in $(( $(date +%s) - started ))s"
