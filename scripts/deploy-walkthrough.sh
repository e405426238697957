#!/usr/bin/env bash
# Follows docs/deploy.md's walk-through to the letter: every ```sh walkthrough block, in order, in one shell,
# against private PostgreSQL, Redis and RabbitMQ (scripts/services.sh, with no database created) on free ports;
# then checks what a person following it would see: redirects through every edge, stats, the backlog view, the
# operator token, tenant isolation (API and database), and logs without stack traces. Run as root; CI runs it
# from scripts/test.sh. What it sets before the blocks run, and nothing else: the variables the doc gives
# defaults for (LT_HOME, ports, PG_SOCKET, REDIS) and a rabbitmqctl that reaches the private broker.
set -euo pipefail
cd "$(dirname "$0")/.."

DOC=docs/deploy.md
WORK="$(mktemp -d "${TMPDIR:-/tmp}/linktracker-walkthrough.XXXXXX")"
chmod 711 "$WORK"
export LINKTRACKER_SERVICES_DIR="$WORK/services"

log() { echo "walkthrough: $*" >&2; }
fail() {
    echo "walkthrough: FAILED: $*" >&2
    exit 1
}

cleanup() {
    local status=$?
    local pid_file pid
    for pid_file in "$WORK"/home/*.pid; do
        [[ -f $pid_file ]] || continue
        pid="$(cat "$pid_file")"
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid_file in "$WORK"/home/*.pid; do
        [[ -f $pid_file ]] || continue
        pid="$(cat "$pid_file")"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if ((status != 0)); then
        local f
        for f in "$WORK"/home/*.log; do
            [[ -f $f ]] && { echo "---- $f (last 30 lines)" >&2; tail -n 30 "$f" >&2; }
        done
    fi
    bash scripts/services.sh stop "$LINKTRACKER_SERVICES_DIR" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------
# The machine: private servers instead of the packages' (step 0), on free ports.

LINKTRACKER_SERVICES_DATABASE='' bash scripts/services.sh >/dev/null
# shellcheck source=/dev/null
. "$LINKTRACKER_SERVICES_DIR/ports"
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; } </dev/null

taken=" $PG_PORT $REDIS_PORT $RABBIT_PORT $RABBIT_DIST_PORT $EPMD_PORT "
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        [[ $taken == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            taken+="$port "
            echo "$port"
            return 0
        fi
    done
    fail "no free port"
}

export LT_HOME="$WORK/home"
export DB_PORT=$PG_PORT PG_SOCKET="$LINKTRACKER_SERVICES_DIR/postgres/run"
export REDIS="127.0.0.1:$REDIS_PORT" AMQP_PORT=$RABBIT_PORT
API_PORT="$(free_port)" WORKER_PORT="$(free_port)" EDGE1_PORT="$(free_port)" EDGE2_PORT="$(free_port)" EDGE3_PORT="$(free_port)"
export API_PORT WORKER_PORT EDGE1_PORT EDGE2_PORT EDGE3_PORT

# The private broker runs under its own node name, EPMD port and cookie (scripts/services.sh).
rabbitmqctl() {
    env HOME="$LINKTRACKER_SERVICES_DIR/rabbitmq" RABBITMQ_NODENAME=rabbit-lt@localhost ERL_EPMD_PORT="$EPMD_PORT" \
        ERL_EPMD_ADDRESS=127.0.0.1 /usr/lib/rabbitmq/bin/rabbitmqctl "$@"
}

# ---------------------------------------------------------------------------------------------------
# The doc's blocks, each in a file of its own, run in order in this shell.

mkdir -p "$WORK/blocks"
awk -v dir="$WORK/blocks" '
    /^```sh walkthrough$/ { n++; file = sprintf("%s/%02d.sh", dir, n); inside = 1; next }
    /^```$/ { inside = 0; next }
    inside { print > file }
' "$DOC"
mapfile -t blocks < <(ls "$WORK"/blocks/*.sh)
((${#blocks[@]} >= 10)) || fail "found ${#blocks[@]} walk-through blocks in $DOC; expected the whole walk-through"
grep -q 'kill' "${blocks[-1]}" || fail "the last walk-through block should stop the processes"

started=$SECONDS
for block in "${blocks[@]::${#blocks[@]}-1}"; do
    log "block $(basename "$block" .sh): $(head -n 1 "$block" | cut -c 1-90)"
    # shellcheck source=/dev/null
    . "$block"
done
log "the walk-through's blocks ran in $((SECONDS - started)) s; checking"

# ---------------------------------------------------------------------------------------------------
# What a person following it would see.

redirect() { curl -s -A "$BROWSER" -o /dev/null -w '%{http_code} %{redirect_url}' "http://acme.localhost:$1/spring?r=$2"; }
for port in "$EDGE1_PORT" "$EDGE2_PORT" "$EDGE3_PORT"; do
    got="$(redirect "$port" "check-$port")"
    [[ $got == "302 https://example.com/spring" ]] || fail "edge on $port answered '$got'"
done

# ann, bob, cy (the doc) and one per edge (above), as a browser: 6 clicks by 6 recipients, every one stored once.
clicks=""
for _ in $(seq 1 60); do
    stats="$(curl -fsS "http://acme.localhost:$API_PORT/api/links/spring/stats" -H "Authorization: Bearer $ACME_KEY")"
    clicks="$(grep -o '"clicks":[0-9]*' <<<"$stats" | head -n 1 | cut -d: -f2)"
    [[ $clicks == 6 ]] && break
    sleep 1
done
[[ $clicks == 6 ]] || fail "acme's link shows $clicks clicks, expected 6: $stats"
grep -q '"humanClicks":6' <<<"$stats" || fail "expected 6 human clicks (browser user agents): $stats"
grep -q '"uniqueRecipients":6' <<<"$stats" || fail "expected 6 unique recipients: $stats"

# A click with curl's own user agent is stored and counted, as a crawler's: the worker's enrichment stage (ADR 17).
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://acme.localhost:$EDGE1_PORT/spring?r=dan")" == 302 ]] || fail "curl's click was not redirected"
for _ in $(seq 1 60); do
    stats="$(curl -fsS "http://acme.localhost:$API_PORT/api/links/spring/stats?breakdown=reason" -H "Authorization: Bearer $ACME_KEY")"
    clicks="$(grep -o '"clicks":[0-9]*' <<<"$stats" | head -n 1 | cut -d: -f2)"
    [[ $clicks == 7 ]] && break
    sleep 1
done
[[ $clicks == 7 ]] || fail "after curl's click acme's link shows $clicks clicks, expected 7: $stats"
grep -q '"humanClicks":6' <<<"$stats" || fail "curl's click counted as a person's: $stats"
grep -q '{"value":"crawler","clicks":1,"humanClicks":0}' <<<"$stats" || fail "curl's click has no reason crawler in the breakdown: $stats"

writer="$(curl -fsS "http://127.0.0.1:$API_PORT/ops/writer" -H "X-Ops-Token: $OPS_TOKEN")"
grep -q '"waitingByTenant"' <<<"$writer" || fail "the api's /ops/writer has no waitingByTenant: $writer"
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/ops/writer")"
[[ $code == 401 ]] || fail "/ops/writer without the operator token answered $code"
code="$(curl -s -o /dev/null -w '%{http_code}' "http://acme.localhost:$API_PORT/ops/writer" -H "X-Ops-Token: $OPS_TOKEN")"
[[ $code == 404 ]] || fail "/ops/writer on a tenant host answered $code"

code="$(curl -s -o /dev/null -w '%{http_code}' "http://beta.localhost:$API_PORT/api/links" -H "Authorization: Bearer $ACME_KEY")"
[[ $code == 401 ]] || fail "acme's key on beta's host answered $code"
code="$(curl -s -o /dev/null -w '%{http_code}' "http://beta.localhost:$API_PORT/api/links/spring" -H "Authorization: Bearer $BETA_KEY")"
[[ $code == 404 ]] || fail "beta sees acme's link ($code)"

# The runtime login reads no tenant's tables and no key hash; a tenant's login cannot become another tenant.
refused() {
    local sql=$1
    if PGPASSWORD="$APP_PASSWORD" psql -h 127.0.0.1 -p "$DB_PORT" -U linktracker_app -d linktracker -qAt -c "$sql" >/dev/null 2>&1; then
        fail "the runtime login could run: $sql"
    fi
}
refused "SELECT count(*) FROM t_acme.links"
refused "SELECT secret_hash FROM catalog.api_keys"
refused "SET ROLE lt_t_beta"
PGPASSWORD="$APP_PASSWORD" psql -h 127.0.0.1 -p "$DB_PORT" -U linktracker_app -d linktracker -qAt \
    -c "SELECT count(*) FROM catalog.tenants" | grep -qx 2 || fail "the runtime login cannot read the catalog's tenants"

for f in "$LT_HOME"/api.log "$LT_HOME"/worker.log "$LT_HOME"/edge1.log "$LT_HOME"/edge2.log "$LT_HOME"/edge3.log; do
    grep -q "Now listening on: http://127.0.0.1:" "$f" || fail "$f does not say where it listens"
    if grep -qE '^\s+at [A-Za-z_.]+\(' "$f"; then fail "$f has a stack trace"; fi
done

# ---------------------------------------------------------------------------------------------------
# The last block stops every process; each must exit (drained) on its own.

log "block $(basename "${blocks[-1]}" .sh): stop"
# shellcheck source=/dev/null
. "${blocks[-1]}"
for name in api worker edge1 edge2 edge3; do
    pid="$(cat "$LT_HOME/$name.pid")"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then fail "$name did not stop within 30 s of SIGTERM"; fi
done
log "passed in $((SECONDS - started)) s: the walk-through of $DOC works as written"
