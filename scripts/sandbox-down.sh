#!/usr/bin/env bash
# Stops what scripts/sandbox-up.sh started (MariaDB via mysqld_safe, dockerd, seekdb and its bridge),
# and only that: services that were already running are left alone. Fixture
# containers are not removed (stopping dockerd stops them).
#
# Usage: scripts/sandbox-down.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

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

stop_seekdb() {
    local pid
    if pid=$(started_pid "$SANDBOX_DIR/seekdb-socat.pid" socat); then
        log "stopping the seekdb bridge (socat pid $pid)"
        kill -TERM "$pid"
    fi
    rm -f "$SANDBOX_DIR/seekdb-socat.pid"
    if ! pid=$(started_pid "$SANDBOX_DIR/seekdb-hold.pid" seekdb-hold.py); then
        log "seekdb was not started by sandbox-up.sh; leaving it running"
        rm -f "$SANDBOX_DIR/seekdb-hold.pid"
        return 0
    fi
    log "stopping seekdb (holder pid $pid)"
    kill -TERM "$pid"
    wait_gone "$pid" 60 || log "warning: the seekdb holder $pid still running after 60s"
    rm -f "$SANDBOX_DIR/seekdb-hold.pid"
}

[[ -d $SANDBOX_DIR ]] || { log "no $SANDBOX_DIR: nothing to stop"; exit 0; }
stop_seekdb
stop_dockerd
stop_mariadb
