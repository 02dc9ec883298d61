# shellcheck shell=bash
# Shared helpers of the sandbox scripts (sourced; bash, set -euo pipefail).
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SANDBOX_DIR=$REPO_ROOT/.sandbox
SANDBOX_ENV=$SANDBOX_DIR/sandbox.env
SANDBOX_PASSWORD_FILE=$SANDBOX_DIR/meta-password
SANDBOX_USER=oms_sandbox
SANDBOX_HOST=127.0.0.1
SANDBOX_PORT=3306
# The OceanBase kernel (seekdb, embedded) behind a socat bridge on this port.
SANDBOX_OB_PORT=2881
SANDBOX_OB_DIR=$SANDBOX_DIR/seekdb
SCRIPT_NAME=$(basename "$0")

# Temp files removed on exit (defaults files holding passwords among them).
_CLEANUP_FILES=()
# Defaults files go into this 0700 directory, removed on exit with all it holds: make_defaults_file
# runs in a command substitution, whose subshell cannot add to _CLEANUP_FILES of this shell.
_SECRETS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/oms-sandbox.XXXXXX")
_cleanup() {
    local f
    for f in "${_CLEANUP_FILES[@]}"; do
        rm -f -- "$f"
    done
    rm -rf -- "$_SECRETS_DIR"
    return 0
}
trap _cleanup EXIT

log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# ensure_sandbox_dir: .sandbox at the repo root, 0700 (it holds secrets).
ensure_sandbox_dir() {
    mkdir -p "$SANDBOX_DIR"
    chmod 0700 "$SANDBOX_DIR"
}

# cnf_quote VALUE: VALUE as a double-quoted MariaDB option-file value.
cnf_quote() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# sql_str VALUE: VALUE as a single-quoted SQL string literal.
sql_str() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\'/\'\'}
    printf "'%s'" "$s"
}

# sql_ident NAME: NAME as a backquoted SQL identifier.
sql_ident() {
    local s=$1 q='`'
    printf '%s%s%s' "$q" "${s//$q/$q$q}" "$q"
}

# yaml_quote VALUE: VALUE as a YAML double-quoted scalar.
yaml_quote() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# read_secret FILE: the file's content without trailing newlines.
read_secret() {
    local s
    s=$(cat -- "$1")
    printf '%s' "$s"
}

# make_defaults_file HOST PORT USER PASSWORD_FILE: writes a 0600 client
# defaults file (removed on exit) and prints its path. The password goes from
# file to file, never onto a command line.
make_defaults_file() {
    local host=$1 port=$2 user=$3 pwfile=$4 f pw
    f=$(mktemp "$_SECRETS_DIR/my.XXXXXX")
    chmod 0600 "$f"
    pw=$(read_secret "$pwfile")
    {
        printf '[client]\n'
        printf 'host=%s\nport=%s\nuser=%s\n' "$(cnf_quote "$host")" "$port" "$(cnf_quote "$user")"
        printf 'password=%s\n' "$(cnf_quote "$pw")"
        printf 'protocol=TCP\n'
    } >"$f"
    printf '%s' "$f"
}

# load_sandbox_env: reads .sandbox/sandbox.env into OMS_SANDBOX_* variables.
load_sandbox_env() {
    [[ -r $SANDBOX_ENV ]] || die "$SANDBOX_ENV is missing: run scripts/sandbox-up.sh to install and start MariaDB and dockerd"
    # shellcheck source=/dev/null
    . "$SANDBOX_ENV"
    : "${OMS_SANDBOX_MYSQL_HOST:?}" "${OMS_SANDBOX_MYSQL_PORT:?}" "${OMS_SANDBOX_MYSQL_USER:?}" "${OMS_SANDBOX_MYSQL_PASSWORD_FILE:?}"
}

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

# pkg_installed NAME: exit 0 when the Debian package is installed.
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# wait_until SECONDS WHAT COMMAND...: retries COMMAND every half second.
wait_until() {
    local timeout=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
    log "$what is up"
}
