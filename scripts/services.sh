#!/usr/bin/env bash
# Private PostgreSQL, Redis and RabbitMQ servers for the integration tests, bound to 127.0.0.1 on free
# ports inside one folder; installs the Debian packages first when they are missing (and Chromium for the
# dashboard's browser tests). Run as root.
#
#   env_file="$(scripts/services.sh)" && . "$env_file"   # start; prints the env file to source
#   scripts/services.sh stop "$LINKTRACKER_SERVICES_DIR"  # stop them and remove the folder
#   LINKTRACKER_SERVICES_DURABLE=1 scripts/services.sh    # PostgreSQL with fsync and synchronous commit (fault tests)
#   LINKTRACKER_SERVICES_DATABASE= scripts/services.sh    # no database created (default: linktracker, for the tests)
#   scripts/services.sh restart postgres|rabbitmq DIR     # fault injection: PostgreSQL crash-restarts
#                                                          # (pg_ctl restart -m immediate), RabbitMQ stops and starts
#
# The folder is $LINKTRACKER_SERVICES_DIR when set (running servers there are reused), else a new temp one.
# Only the env file's path goes to stdout; progress and errors go to stderr.
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly RABBIT_BIN=/usr/lib/rabbitmq/bin
readonly RABBIT_NODE=rabbit-lt@localhost
readonly MARKER=.linktracker-services

log() { echo "services: $*" >&2; }
die() { echo "services: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Installation

install_packages() {
    local missing=()
    [[ -x $PG_BIN/initdb ]] || missing+=(postgresql)
    command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
    [[ -x $RABBIT_BIN/rabbitmq-server ]] || missing+=(rabbitmq-server)
    [[ -x /usr/bin/chromium ]] || missing+=(chromium) # the dashboard's browser tests (Playwright drives it; no browser download)
    ((${#missing[@]} == 0)) && return 0

    [[ $(id -u) == 0 ]] || die "${missing[*]} missing, and only root can install them (apt-get)."
    log "installing ${missing[*]} (apt-get)"
    # policy-rc.d 101 keeps the packages from starting their own servers on the default ports (0.0.0.0).
    local policy=/usr/sbin/policy-rc.d created=""
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created=1
    fi
    local status=0
    {
        apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    } >&2 </dev/null || status=$?
    [[ -n $created ]] && rm -f "$policy"
    ((status == 0)) || die "apt-get install ${missing[*]} failed (exit $status)."
    stop_package_services
}

# Whatever the packages may have started anyway (no systemd here; service/pg_ctlcluster if present).
stop_package_services() {
    local s
    for s in postgresql redis-server rabbitmq-server; do
        service "$s" stop >/dev/null 2>&1 </dev/null || true
    done
    if command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
    fi
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
        systemctl stop postgresql redis-server rabbitmq-server epmd.socket epmd.service >/dev/null 2>&1 || true
    fi
    if command -v epmd >/dev/null; then
        epmd -kill >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------------
# Helpers

TAKEN_PORTS=" "

# free_port VAR: a port nobody listens on (127.0.0.1), below the ephemeral range, not handed out before.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        [[ $TAKEN_PORTS == *" $port "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            TAKEN_PORTS+="$port "
            printf -v "$1" '%s' "$port"
            return 0
        fi
    done
    die "found no free port on 127.0.0.1."
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND until it succeeds, or fails after SECONDS.
wait_for() {
    local name=$1 seconds=$2 deadline
    shift 2
    deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
    log "$name ready ($((seconds - deadline + SECONDS))s of $seconds s allowed)"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

redis_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

# The broker answers an AMQP 0-9-1 protocol header with a method frame (type 1): Connection.Start.
rabbit_ready() {
    # shellcheck disable=SC2016 # $1 expands in the inner shell
    [[ $(timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "AMQP\x00\x00\x09\x01" >&3; head -c 1 <&3' _ "$RABBIT_PORT" |
        od -An -tx1 | tr -d ' \n') == 01 ]]
}

# Runs a command as an OS user (initdb refuses root), from a folder that user can read.
as_user() {
    local user=$1
    shift
    (cd / && runuser -u "$user" -- "$@")
}

# The broker's environment: every file in the folder, every socket on 127.0.0.1 (AMQP, distribution, EPMD).
rabbit_env() {
    local rq=$1/rabbitmq
    RABBIT_ENV=(
        HOME="$rq"
        RABBITMQ_NODENAME="$RABBIT_NODE"
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        RABBITMQ_NODE_PORT="$RABBIT_PORT"
        RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT"
        RABBITMQ_MNESIA_BASE="$rq/mnesia"
        RABBITMQ_LOG_BASE="$rq/log"
        RABBITMQ_CONFIG_FILE="$rq/rabbitmq.conf"
        RABBITMQ_CONF_ENV_FILE="$rq/rabbitmq-env.conf"
        RABBITMQ_ENABLED_PLUGINS_FILE="$rq/enabled_plugins"
        RABBITMQ_PID_FILE="$rq/rabbitmq.pid"
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
        ERL_EPMD_ADDRESS=127.0.0.1
        ERL_EPMD_PORT="$EPMD_PORT"
    )
}

# ---------------------------------------------------------------------------------------------------
# Start

start_postgres() {
    local dir=$1 pg=$1/postgres
    mkdir -p "$pg/run"
    printf '%s\n' "$PG_PASSWORD" >"$pg/pwfile"
    chown -R postgres:postgres "$pg"
    chmod 700 "$pg"
    # Password (SCRAM) over TCP on 127.0.0.1; trust only on the private socket folder, readable by postgres alone.
    as_user postgres "$PG_BIN/initdb" -D "$pg/data" -U postgres --pwfile="$pg/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log" 2>&1 ||
        { cat "$pg/initdb.log" >&2; die "initdb failed."; }
    rm -f "$pg/pwfile"
    # Throwaway test data: durability settings off make the tests faster.
    cat >>"$pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$pg/run'
max_connections = 200
EOF
    # A fault test that crash-restarts PostgreSQL needs durability on (LINKTRACKER_SERVICES_DURABLE=1): with
    # synchronous_commit off, a crash loses commits the server had already reported.
    if [[ ${LINKTRACKER_SERVICES_DURABLE:-} != 1 ]]; then
        printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$pg/data/postgresql.conf"
    fi
    as_user postgres "$PG_BIN/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -s start </dev/null >/dev/null
}

start_redis() {
    local rd=$1/redis user=root
    mkdir -p "$rd"
    id redis >/dev/null 2>&1 && user=redis && chown redis: "$rd"
    as_user "$user" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --dir "$rd" --pidfile "$rd/redis.pid" --logfile "$rd/redis.log" </dev/null >/dev/null
}

start_rabbitmq() {
    local dir=$1 rq=$1/rabbitmq
    mkdir -p "$rq/mnesia" "$rq/log"
    echo '[].' >"$rq/enabled_plugins"
    : >"$rq/rabbitmq-env.conf"
    cat >"$rq/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
loopback_users.guest = true
log.console = false
log.file.level = warning
EOF
    chown -R rabbitmq:rabbitmq "$rq"
    # setsid and no inherited stdout: a caller's $(...) must not wait for the broker to exit.
    rabbit_env "$dir"
    (cd / && exec setsid runuser -u rabbitmq -- env "${RABBIT_ENV[@]}" "$RABBIT_BIN/rabbitmq-server") \
        </dev/null >"$rq/startup.log" 2>&1 &
    echo $! >"$rq/launcher.pid" # leads the broker's process group, for a stop before rabbitmq.pid exists
}

write_env() {
    local dir=$1
    cat >"$dir/ports" <<EOF
PG_PORT=$PG_PORT
REDIS_PORT=$REDIS_PORT
RABBIT_PORT=$RABBIT_PORT
RABBIT_DIST_PORT=$RABBIT_DIST_PORT
EPMD_PORT=$EPMD_PORT
EOF
    (umask 077 && cat >"$dir/env") <<EOF
export LINKTRACKER_SERVICES_DIR="$dir"
export LINKTRACKER_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=linktracker"
export LINKTRACKER_TEST_REDIS=127.0.0.1:$REDIS_PORT
export LINKTRACKER_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/
EOF
}

all_ready() {
    [[ -f $1/env && -f $1/ports ]] || return 1
    # shellcheck source=/dev/null
    . "$1/ports"
    pg_ready && redis_ready && rabbit_ready
}

start() {
    install_packages

    local dir=${LINKTRACKER_SERVICES_DIR:-}
    if [[ -n $dir ]] && all_ready "$dir"; then
        log "reusing the servers in $dir"
        echo "$dir/env"
        return 0
    fi
    if [[ -n $dir && -f $dir/$MARKER ]]; then
        log "restarting the servers in $dir"
        stop "$dir"
    fi
    if [[ -n $dir && -d $dir && ! -f $dir/$MARKER && -n "$(ls -A "$dir")" ]]; then
        die "$dir is not empty and was not made by scripts/services.sh; set LINKTRACKER_SERVICES_DIR to a new folder."
    fi
    [[ -n $dir ]] || dir="$(mktemp -d "${TMPDIR:-/tmp}/linktracker-services.XXXXXX")"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    touch "$dir/$MARKER"
    chmod 711 "$dir" # the service users reach their own subfolders; nobody lists the folder

    free_port PG_PORT
    free_port REDIS_PORT
    free_port RABBIT_PORT
    free_port RABBIT_DIST_PORT
    free_port EPMD_PORT
    PG_PASSWORD="$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
    write_env "$dir" # first, so that stop works even after a failed start

    local started=$SECONDS
    FAILED_DIR=$dir
    trap 'if [[ -n $FAILED_DIR ]]; then log "start failed; stopping what was started in $FAILED_DIR"; stop "$FAILED_DIR" keep; fi' EXIT
    start_rabbitmq "$dir" # slowest first: it boots while the others start
    start_redis "$dir"
    start_postgres "$dir"

    wait_for PostgreSQL 30 pg_ready || { tail -n 20 "$dir/postgres/postgres.log" >&2; die "PostgreSQL did not answer on 127.0.0.1:$PG_PORT within 30 s."; }
    local database=${LINKTRACKER_SERVICES_DATABASE-linktracker}
    if [[ -n $database ]]; then
        PGPASSWORD="$PG_PASSWORD" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
            -c "CREATE DATABASE \"$database\"" >/dev/null || die "could not create the $database database."
    fi
    wait_for Redis 15 redis_ready || { tail -n 20 "$dir/redis/redis.log" >&2; die "Redis did not answer on 127.0.0.1:$REDIS_PORT within 15 s."; }
    wait_for RabbitMQ 90 rabbit_ready || {
        tail -n 20 "$dir/rabbitmq/startup.log" "$dir"/rabbitmq/log/*.log >&2 2>/dev/null || true
        die "RabbitMQ did not answer on 127.0.0.1:$RABBIT_PORT within 90 s."
    }
    FAILED_DIR=""
    log "PostgreSQL 127.0.0.1:$PG_PORT, Redis 127.0.0.1:$REDIS_PORT, RabbitMQ 127.0.0.1:$RABBIT_PORT; started in $((SECONDS - started)) s"
    echo "$dir/env"
}

# ---------------------------------------------------------------------------------------------------
# Stop

# stop DIR [keep]: stops every server started in DIR, then removes DIR unless "keep".
stop() {
    local dir=$1 keep=${2:-}
    [[ -f $dir/$MARKER ]] || die "$dir was not made by scripts/services.sh; refusing to touch it."
    local PG_PORT="" REDIS_PORT="" RABBIT_PORT="" RABBIT_DIST_PORT="" EPMD_PORT=""
    # shellcheck source=/dev/null
    [[ -f $dir/ports ]] && . "$dir/ports"

    if [[ -f $dir/postgres/data/postmaster.pid ]]; then
        as_user postgres "$PG_BIN/pg_ctl" -D "$dir/postgres/data" -m fast -s -t 30 stop >/dev/null 2>&1 || log "PostgreSQL did not stop cleanly"
    fi
    stop_pid_file Redis "$dir/redis/redis.pid"
    if [[ -f $dir/rabbitmq/rabbitmq.pid ]]; then
        stop_pid_file RabbitMQ "$dir/rabbitmq/rabbitmq.pid"
    elif [[ -f $dir/rabbitmq/launcher.pid ]]; then
        kill -TERM -- "-$(tr -dc '0-9' <"$dir/rabbitmq/launcher.pid")" 2>/dev/null || true
    fi
    if [[ -n $EPMD_PORT ]] && command -v epmd >/dev/null; then
        ERL_EPMD_PORT=$EPMD_PORT epmd -kill >/dev/null 2>&1 || true
    fi
    if [[ -z $keep ]]; then
        rm -rf "$dir"
        log "stopped the servers and removed $dir"
    fi
}

# SIGTERM, then up to 30 s for a clean exit (RabbitMQ and Redis shut down gracefully on it), then SIGKILL.
stop_pid_file() {
    local name=$1 file=$2 pid
    [[ -f $file ]] || return 0
    pid="$(tr -dc '0-9' <"$file")"
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.25
    done
    log "$name (pid $pid) ignored SIGTERM for 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# restart postgres|rabbitmq DIR: the data stays; PostgreSQL restarts without a clean shutdown (crash recovery).
restart() {
    local what=$1 dir=$2
    [[ -f $dir/$MARKER && -f $dir/ports ]] || die "$dir was not made by scripts/services.sh; refusing to touch it."
    # shellcheck source=/dev/null
    . "$dir/ports"
    case $what in
    postgres)
        as_user postgres "$PG_BIN/pg_ctl" -D "$dir/postgres/data" -l "$dir/postgres/postgres.log" -m immediate -s -w -t 60 restart \
            </dev/null >/dev/null || die "PostgreSQL did not restart."
        wait_for PostgreSQL 30 pg_ready || die "PostgreSQL did not answer after its restart."
        ;;
    rabbitmq)
        stop_pid_file RabbitMQ "$dir/rabbitmq/rabbitmq.pid"
        rm -f "$dir/rabbitmq/rabbitmq.pid"
        start_rabbitmq "$dir"
        wait_for RabbitMQ 90 rabbit_ready || die "RabbitMQ did not answer after its restart."
        ;;
    *) die "usage: $0 restart postgres|rabbitmq DIR" ;;
    esac
}

case "${1:-start}" in
start) start ;;
stop)
    [[ -n ${2:-} ]] || die "usage: $0 stop DIR (the LINKTRACKER_SERVICES_DIR of the env file)"
    stop "$2"
    ;;
restart)
    [[ -n ${2:-} && -n ${3:-} ]] || die "usage: $0 restart postgres|rabbitmq DIR"
    restart "$2" "$3"
    ;;
*) die "usage: $0 [start] | $0 stop DIR | $0 restart postgres|rabbitmq DIR" ;;
esac
