#!/usr/bin/env bash
# Stops what scripts/sandbox-up.sh started (MariaDB via mysqld_safe, dockerd),
# and only that: services that were already running are left alone. Fixture
# containers are not removed (stopping dockerd stops them).
#
# Usage: scripts/sandbox-down.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# started_pid FILE PATTERN: prints the pid recorded in FILE when that process
# still runs and its command line matches PATTERN (guards against pid reuse).
started_pid() {
    local file=$1 pattern=$2 pid
    [[ -r $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern" || return 1
    printf '%s' "$pid"
}

# wait_gone PID SECONDS: waits for the process to exit.
wait_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

stop_mariadb() {
    local pid
    if ! pid=$(started_pid "$SANDBOX_DIR/mysqld_safe.pid" mysqld_safe); then
        log "MariaDB was not started by sandbox-up.sh; leaving it running"
        rm -f "$SANDBOX_DIR/mysqld_safe.pid"
        return 0
    fi
    log "stopping MariaDB (mysqld_safe pid $pid)"
    # A clean shutdown makes mysqld_safe exit instead of restarting the server.
    mariadb-admin --protocol=socket -uroot shutdown 2>/dev/null || kill -TERM "$pid"
    wait_gone "$pid" 60 || { log "mysqld_safe $pid still running after 60s; sending TERM"; kill -TERM "$pid" 2>/dev/null || true; }
    rm -f "$SANDBOX_DIR/mysqld_safe.pid"
}

stop_dockerd() {
    local pid
    if ! pid=$(started_pid "$SANDBOX_DIR/dockerd.pid" dockerd); then
        log "dockerd was not started by sandbox-up.sh; leaving it running"
        rm -f "$SANDBOX_DIR/dockerd.pid"
        return 0
    fi
    log "stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    wait_gone "$pid" 60 || log "warning: dockerd $pid still running after 60s"
    rm -f "$SANDBOX_DIR/dockerd.pid"
}

[[ -d $SANDBOX_DIR ]] || { log "no $SANDBOX_DIR: nothing to stop"; exit 0; }
stop_dockerd
stop_mariadb
