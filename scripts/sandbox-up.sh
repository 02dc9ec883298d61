#!/usr/bin/env bash
# Brings up the sandbox the integration tests and benchmarks use, idempotently:
#   - installs the Debian packages that are missing;
#   - starts MariaDB (127.0.0.1:3306) and dockerd unless they already answer,
#     and records in .sandbox/ what it started (sandbox-down.sh stops only that);
#   - creates the admin user oms_sandbox with a random password kept in
#     .sandbox/meta-password (0600) and writes .sandbox/sandbox.env (0600);
#   - builds the fixture images oms-fixture:3.2.2 / 3.3.0 unless up to date;
#   - installs seekdb (the OceanBase kernel, PyPI pylibseekdb, pinned) into a
#     virtual environment of its own, starts it embedded behind a socat bridge
#     on 127.0.0.1:2881 unless that answers, and creates oms_sandbox there too
#     (same password; OMS_SANDBOX_OB_* in sandbox.env).
#
# Usage: scripts/sandbox-up.sh [--rebuild]   (--rebuild: rebuild the images)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

REBUILD=()
while (($#)); do
    case $1 in
        --rebuild) REBUILD=(--rebuild) ;;
        -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
    shift
done

[[ $(id -u) == 0 ]] || die "run as root (apt-get, mysqld_safe and dockerd need it)"

PACKAGES=(mariadb-server mariadb-client libmariadb-dev docker.io busybox-static mydumper curl openssl
          chromium fonts-dejavu-core tmux iproute2 socat util-linux shellcheck python3 python3-venv
          rpm)  # rpm: rpmbuild for the release rpm (scripts/release.sh), rpm --root for its test
# The OceanBase kernel for the tests that run on both metadata servers: seekdb from PyPI, pinned.
SEEKDB_PACKAGE=pylibseekdb
SEEKDB_VERSION=1.4.0.post1
# Server settings that keep tests and benchmarks fast (durability matters
# little in a sandbox).
MYSQLD_OPTS=(
    --bind-address=127.0.0.1 --port="$SANDBOX_PORT" --skip-name-resolve
    --max-connections=500 --innodb-buffer-pool-size=1G
    --innodb-flush-log-at-trx-commit=2 --max-allowed-packet=256M
    --innodb-log-file-size=512M --sync-binlog=0 --skip-log-bin
    --skip-syslog --log-error=/var/log/mysql/sandbox-mysqld.err
    # A tmpdir of its own: every mariadbd deletes the #sql* files in its tmpdir when it starts,
    # so a test's private server sharing /tmp removed this server's temporary tables mid-query.
    --tmpdir=/var/lib/mysql-sandbox-tmp
)

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        pkg_installed "$p" || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # Keep package scripts from starting services (without systemd they would
    # try init.d with their own options): this script starts them itself.
    local policy=/usr/sbin/policy-rc.d made_policy=false
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 0755 "$policy"
        made_policy=true
        _CLEANUP_FILES+=("$policy")
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    [[ $made_policy == true ]] && rm -f "$policy"
    return 0
}

mariadb_root_ok() { mariadb --protocol=socket -uroot -e 'SELECT 1' >/dev/null 2>&1; }

# start_mariadb: starts mysqld_safe unless the server answers; initializes the
# data directory first on a fresh machine.
start_mariadb() {
    if mariadb_root_ok; then
        log "MariaDB is already running"
        tune_running_mariadb
        return 0
    fi
    mkdir -p /run/mysqld
    chown mysql:mysql /run/mysqld
    install -d -o mysql -g adm -m 0750 /var/log/mysql
    install -d -o mysql -g mysql -m 0700 /var/lib/mysql-sandbox-tmp
    if [[ ! -d /var/lib/mysql/mysql ]]; then
        log "initializing the MariaDB data directory"
        mariadb-install-db --user=mysql --datadir=/var/lib/mysql >"$SANDBOX_DIR/mariadb-install-db.log" 2>&1 ||
            die "mariadb-install-db failed, see $SANDBOX_DIR/mariadb-install-db.log"
    fi
    log "starting MariaDB (mysqld_safe, log $SANDBOX_DIR/mysqld.log)"
    nohup mysqld_safe "${MYSQLD_OPTS[@]}" >"$SANDBOX_DIR/mysqld.log" 2>&1 </dev/null &
    echo $! >"$SANDBOX_DIR/mysqld_safe.pid"
    wait_until 60 MariaDB mariadb_root_ok ||
        die "MariaDB did not answer within 60s; see $SANDBOX_DIR/mysqld.log and /var/log/mysql/sandbox-mysqld.err"
}

# tune_running_mariadb: a server we did not start gets the same settings at
# run time where they are dynamic.
tune_running_mariadb() {
    mariadb --protocol=socket -uroot <<'SQL' >/dev/null 2>&1 || log "warning: could not tune the running MariaDB"
SET GLOBAL max_connections = GREATEST(@@max_connections, 500);
SET GLOBAL innodb_flush_log_at_trx_commit = 2;
SET GLOBAL max_allowed_packet = GREATEST(@@max_allowed_packet, 268435456);
SET GLOBAL innodb_buffer_pool_size = GREATEST(@@innodb_buffer_pool_size, 1073741824);
SQL
}

docker_ok() { docker info >/dev/null 2>&1; }

start_dockerd() {
    if docker_ok; then
        log "dockerd is already running"
        return 0
    fi
    log "starting dockerd (log $SANDBOX_DIR/dockerd.log)"
    nohup dockerd --iptables=false --bridge=none >"$SANDBOX_DIR/dockerd.log" 2>&1 </dev/null &
    echo $! >"$SANDBOX_DIR/dockerd.pid"
    wait_until 60 dockerd docker_ok || die "dockerd did not answer within 60s; see $SANDBOX_DIR/dockerd.log"
}

ob_root_sql() { mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$SANDBOX_OB_PORT" -uroot --connect-timeout=5 "$@"; }
ob_root_ok() { ob_root_sql -e 'SELECT 1' >/dev/null 2>&1; }

# install_seekdb: the pinned pylibseekdb (which ships the seekdb binary) in a
# virtual environment of its own under .sandbox/seekdb/venv.
install_seekdb() {
    local venv=$SANDBOX_OB_DIR/venv
    if [[ -x $venv/bin/python ]] &&
        [[ $("$venv/bin/python" -m pip show "$SEEKDB_PACKAGE" 2>/dev/null | sed -n 's/^Version: //p') == "$SEEKDB_VERSION" ]]; then
        return 0
    fi
    log "installing $SEEKDB_PACKAGE==$SEEKDB_VERSION into $venv"
    mkdir -p "$SANDBOX_OB_DIR"
    /usr/bin/python3 -m venv "$venv" || die "could not create the virtual environment $venv (is python3-venv installed?)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$SEEKDB_PACKAGE==$SEEKDB_VERSION" >&2 ||
        die "pip could not install $SEEKDB_PACKAGE==$SEEKDB_VERSION into $venv"
}

# stop_recorded_seekdb: ends a holder and bridge this script started earlier that no longer
# answer together (one of them died), so that both can start afresh.
stop_recorded_seekdb() {
    local pid
    if pid=$(started_pid "$SANDBOX_DIR/seekdb-socat.pid" socat); then kill -TERM "$pid" 2>/dev/null || true; fi
    if pid=$(started_pid "$SANDBOX_DIR/seekdb-hold.pid" seekdb-hold.py); then
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 30))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    fi
    rm -f "$SANDBOX_DIR/seekdb-socat.pid" "$SANDBOX_DIR/seekdb-hold.pid"
}

# start_seekdb: seekdb embedded (held open by scripts/lib/seekdb-hold.py) and a socat bridge
# from 127.0.0.1:$SANDBOX_OB_PORT to its unix socket, unless the port already answers.
start_seekdb() {
    if ob_root_ok; then
        log "seekdb (OceanBase kernel) is already running on 127.0.0.1:$SANDBOX_OB_PORT"
        return 0
    fi
    stop_recorded_seekdb
    install_seekdb
    local socket_file=$SANDBOX_OB_DIR/socket-path
    mkdir -p "$SANDBOX_OB_DIR/data"
    rm -f "$socket_file"
    log "starting seekdb (embedded, data $SANDBOX_OB_DIR/data, log $SANDBOX_DIR/seekdb.log)"
    TELEMETRY_ENABLED=false nohup "$SANDBOX_OB_DIR/venv/bin/python" "$REPO_ROOT/scripts/lib/seekdb-hold.py" \
        "$SANDBOX_OB_DIR/data" "$socket_file" >"$SANDBOX_DIR/seekdb.log" 2>&1 </dev/null &
    echo $! >"$SANDBOX_DIR/seekdb-hold.pid"
    wait_until 120 "seekdb's socket" test -s "$socket_file" ||
        die "seekdb did not open within 120s; see $SANDBOX_DIR/seekdb.log"
    # backlog=128: with socat's default of 5, a burst of connections (the catch-up opens several at
    # once) loses one, and its client tries again a second later.
    nohup socat "TCP-LISTEN:$SANDBOX_OB_PORT,bind=127.0.0.1,reuseaddr,fork,backlog=128" "UNIX-CONNECT:$(<"$socket_file")" \
        >"$SANDBOX_DIR/seekdb-socat.log" 2>&1 </dev/null &
    echo $! >"$SANDBOX_DIR/seekdb-socat.pid"
    wait_until 60 "seekdb on 127.0.0.1:$SANDBOX_OB_PORT" ob_root_ok ||
        die "seekdb does not answer on 127.0.0.1:$SANDBOX_OB_PORT; see $SANDBOX_DIR/seekdb.log and seekdb-socat.log"
}

# ensure_ob_user: oms_sandbox on seekdb with the sandbox password (the tool refuses an empty one).
ensure_ob_user() {
    local pw acct
    pw=$(read_secret "$SANDBOX_PASSWORD_FILE")
    acct="$(sql_str "$SANDBOX_USER")@'%'"
    printf '%s' "CREATE USER IF NOT EXISTS $acct IDENTIFIED BY $(sql_str "$pw");
ALTER USER $acct IDENTIFIED BY $(sql_str "$pw");
GRANT ALL PRIVILEGES ON *.* TO $acct WITH GRANT OPTION;
" | ob_root_sql || die "could not create the user $SANDBOX_USER on seekdb"
    log "user $SANDBOX_USER is ready on seekdb"
}

# ensure_password: generated once; alphanumeric so that it survives every
# quoting layer (tests that need hostile passwords make their own users).
ensure_password() {
    if [[ ! -s $SANDBOX_PASSWORD_FILE ]]; then
        local pw
        pw=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9')
        (umask 077 && printf '%s' "${pw:0:32}" >"$SANDBOX_PASSWORD_FILE")
        log "generated the sandbox password in $SANDBOX_PASSWORD_FILE"
    fi
    chmod 0600 "$SANDBOX_PASSWORD_FILE"
}

# ensure_user: creates/updates oms_sandbox over the root unix socket; the SQL
# (with the password) goes through stdin.
ensure_user() {
    local pw host sql=
    pw=$(read_secret "$SANDBOX_PASSWORD_FILE")
    for host in 127.0.0.1 localhost %; do
        local acct
        acct="$(sql_str "$SANDBOX_USER")@$(sql_str "$host")"
        sql+="CREATE USER IF NOT EXISTS $acct IDENTIFIED BY $(sql_str "$pw");"$'\n'
        sql+="ALTER USER $acct IDENTIFIED BY $(sql_str "$pw");"$'\n'
        sql+="GRANT ALL PRIVILEGES ON *.* TO $acct WITH GRANT OPTION;"$'\n'
    done
    printf '%s' "$sql" | mariadb --protocol=socket -uroot || die "could not create the user $SANDBOX_USER"
    log "user $SANDBOX_USER is ready"
}

write_env() {
    (umask 077 && cat >"$SANDBOX_ENV.tmp" <<EOF
OMS_SANDBOX_MYSQL_HOST=$SANDBOX_HOST
OMS_SANDBOX_MYSQL_PORT=$SANDBOX_PORT
OMS_SANDBOX_MYSQL_USER=$SANDBOX_USER
OMS_SANDBOX_MYSQL_PASSWORD_FILE=$SANDBOX_PASSWORD_FILE
OMS_SANDBOX_OB_HOST=$SANDBOX_HOST
OMS_SANDBOX_OB_PORT=$SANDBOX_OB_PORT
OMS_SANDBOX_OB_USER=$SANDBOX_USER
OMS_SANDBOX_OB_PASSWORD_FILE=$SANDBOX_PASSWORD_FILE
EOF
    )
    mv -f "$SANDBOX_ENV.tmp" "$SANDBOX_ENV"
    chmod 0600 "$SANDBOX_ENV"
}

# check_tcp_login: the tests connect over TCP with the sandbox user.
check_tcp_login() {
    local cnf
    cnf=$(make_defaults_file "$SANDBOX_HOST" "$SANDBOX_PORT" "$SANDBOX_USER" "$SANDBOX_PASSWORD_FILE")
    mariadb --defaults-extra-file="$cnf" -e 'SELECT 1' >/dev/null ||
        die "cannot log in as $SANDBOX_USER over TCP $SANDBOX_HOST:$SANDBOX_PORT"
    cnf=$(make_defaults_file "$SANDBOX_HOST" "$SANDBOX_OB_PORT" "$SANDBOX_USER" "$SANDBOX_PASSWORD_FILE")
    mariadb --defaults-extra-file="$cnf" -e 'SELECT 1' >/dev/null ||
        die "cannot log in as $SANDBOX_USER to seekdb over TCP $SANDBOX_HOST:$SANDBOX_OB_PORT"
}

main() {
    local start=$SECONDS
    ensure_sandbox_dir
    install_packages
    start_mariadb
    start_dockerd
    ensure_password
    ensure_user
    start_seekdb
    ensure_ob_user
    write_env
    check_tcp_login
    "$REPO_ROOT/fixtures/oms-image/build.sh" "${REBUILD[@]}"
    log "sandbox ready in $((SECONDS - start))s: $SANDBOX_ENV"
}

main
