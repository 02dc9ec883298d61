# shellcheck shell=bash
# Helpers shared by guide-upgrade.sh and guide-rollback.sh (sourced; bash,
# set -euo pipefail). They do what an operator following the vendor guide does
# by hand: read the old container's mounts with `docker inspect`, read the
# metadata account from its config.yaml, and poll the console.
# shellcheck disable=SC2034 # variables set here are read by the sourcing script

GUIDE_NAME=$(basename "$0")
log() { printf '%s: %s\n' "$GUIDE_NAME" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# Private scratch dir (0700) for the client defaults file; removed on exit.
GUIDE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/oms-guide.XXXXXX")
chmod 0700 "$GUIDE_TMP"
trap 'rm -rf -- "$GUIDE_TMP"' EXIT
CNF=$GUIDE_TMP/client.cnf

# now: the wall clock as seconds.nanoseconds.
now() { date +%s.%N; }

# TIMINGS: file the marks are appended to ("name epoch" lines); MARKS: in memory.
TIMINGS=
MARK_NAMES=()
MARK_TIMES=()
mark() {
    local t
    t=$(now)
    MARK_NAMES+=("$1")
    MARK_TIMES+=("$t")
    [[ -z $TIMINGS ]] || printf '%s %s\n' "$1" "$t" >>"$TIMINGS"
}

# print_marks: each mark with its offset from the first and the time since the previous one.
print_marks() {
    local i
    ((${#MARK_NAMES[@]})) || return 0
    printf '%-30s %10s %10s\n' phase at duration
    for i in "${!MARK_NAMES[@]}"; do
        awk -v n="${MARK_NAMES[i]}" -v t="${MARK_TIMES[i]}" -v t0="${MARK_TIMES[0]}" \
            -v p="${MARK_TIMES[i > 0 ? i - 1 : 0]}" \
            'BEGIN { printf "%-30s %+9.3fs %9.3fs\n", n, t - t0, t - p }'
    done
}

# container_mounts NAME: sets CONFIG_SRC, LOGS_SRC, STORE_SRC, RUN_SRC and the
# optional SSL_CRT_SRC/SSL_KEY_SRC from the container's binds (the guide's
# `docker inspect NAME | grep -A5 Binds`, with the pipe it forgot).
container_mounts() {
    local name=$1 src dst
    CONFIG_SRC='' LOGS_SRC='' STORE_SRC='' RUN_SRC='' SSL_CRT_SRC='' SSL_KEY_SRC=''
    while IFS=$'\t' read -r src dst; do
        case $dst in
            /home/admin/conf/config.yaml) CONFIG_SRC=$src ;;
            /home/admin/logs) LOGS_SRC=$src ;;
            /home/ds/store) STORE_SRC=$src ;;
            /home/ds/run) RUN_SRC=$src ;;
            /etc/pki/nginx/oms_server.crt) SSL_CRT_SRC=$src ;;
            /etc/pki/nginx/oms_server.key) SSL_KEY_SRC=$src ;;
        esac
    done < <(docker inspect --format '{{range .Mounts}}{{.Source}}{{"\t"}}{{.Destination}}{{"\n"}}{{end}}' "$name")
    [[ -n $CONFIG_SRC && -n $LOGS_SRC && -n $STORE_SRC && -n $RUN_SRC ]] ||
        die "$name lacks one of the OMS mounts (config.yaml, logs, store, run)"
}

# read_config FILE: sets META_HOST, META_PORT, META_USER, RM_DB, CM_DB,
# CM_HB_DB, NGINX_PORT from config.yaml and writes the password straight from
# config.yaml into the 0600 defaults file $CNF (never into a shell variable or argv).
read_config() {
    local assignments
    assignments=$(python3 - "$1" "$CNF" <<'PY'
import json, os, re, shlex, sys

path, cnf = sys.argv[1], sys.argv[2]

def scalar(raw):
    raw = raw.strip()
    if raw.startswith('"'):
        end = 1
        while end < len(raw) and raw[end] != '"':
            end += 2 if raw[end] == "\\" else 1
        return json.loads(raw[: end + 1])
    if raw.startswith("'"):
        m = re.match(r"'((?:[^']|'')*)'", raw)
        return m.group(1).replace("''", "'")
    return re.sub(r"(^|\s+)#.*$", "", raw).strip()

values = {}
with open(path, encoding="utf-8") as f:
    for line in f:
        m = re.match(r"^([A-Za-z0-9_.-]+)\s*:(.*)$", line.rstrip("\r\n"))
        if m:
            values[m.group(1)] = scalar(m.group(2))

def cnf_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

need = ["oms_meta_host", "oms_meta_port", "oms_meta_user", "oms_meta_password",
        "drc_rm_db", "drc_cm_db", "drc_cm_heartbeat_db"]
missing = [k for k in need if not values.get(k)]
if missing:
    sys.exit(f"{path}: missing {', '.join(missing)}")
fd = os.open(cnf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as out:
    out.write("[client]\n")
    out.write(f"host={cnf_quote(values['oms_meta_host'])}\nport={values['oms_meta_port']}\n")
    out.write(f"user={cnf_quote(values['oms_meta_user'])}\npassword={cnf_quote(values['oms_meta_password'])}\n")
    out.write("protocol=TCP\n")
for var, key, default in [("META_HOST", "oms_meta_host", None), ("META_PORT", "oms_meta_port", None),
                          ("META_USER", "oms_meta_user", None), ("RM_DB", "drc_rm_db", None),
                          ("CM_DB", "drc_cm_db", None), ("CM_HB_DB", "drc_cm_heartbeat_db", None),
                          ("NGINX_PORT", "nginx_server_port", "8089")]:
    print(f"{var}={shlex.quote(str(values.get(key) or default))}")
PY
    ) || die "cannot read $1"
    eval "$assignments"
}

# console_url: the console's base URL (HTTPS only when the SSL pair is mounted), on
# CONSOLE_HOST (the node's address; 127.0.0.1 unless set).
CONSOLE_HOST=${CONSOLE_HOST:-127.0.0.1}
console_url() {
    if [[ -n $SSL_CRT_SRC ]]; then
        printf 'https://%s:%s' "$CONSOLE_HOST" "$NGINX_PORT"
    else
        printf 'http://%s:%s' "$CONSOLE_HOST" "$NGINX_PORT"
    fi
}

START_LINE='OMS service start successfully'

# start_line_count NAME: how many times the container has logged the start line.
start_line_count() {
    { docker logs "$1" 2>&1 || true; } | tr -d '\r' | grep -cF "$START_LINE" || true
}

# is_healthy NAME SEEN: /oms/health says healthy, the last log line holds the
# start line (after a timestamp), and the start line was logged more often than SEEN times (so a
# restarted container's line from its previous run does not count).
is_healthy() {
    local name=$1 seen=$2 body last
    body=$(curl -ksS --max-time 2 "$(console_url)/oms/health" 2>/dev/null) || return 1
    [[ $body =~ \"healthy\"[[:space:]]*:[[:space:]]*true ]] || return 1
    last=$(docker logs --tail 1 "$name" 2>&1 | tr -d '\r')
    [[ $last == *"$START_LINE"* ]] || return 1
    (($(start_line_count "$name") > seen))
}

# wait_healthy NAME SEEN TIMEOUT: polls every 0.25 s (as oms-upgrade does);
# exit status 1 on timeout or when the container stops.
wait_healthy() {
    local name=$1 seen=$2 timeout=$3 deadline running
    deadline=$(awk -v t="$(now)" -v s="$timeout" 'BEGIN { printf "%.3f", t + s }')
    until is_healthy "$name" "$seen"; do
        running=$(docker inspect --format '{{.State.Running}}' "$name" 2>/dev/null || echo false)
        if [[ $running != true ]]; then
            log "$name is not running"
            return 1
        fi
        if awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t > d) }'; then
            log "$name not healthy after ${timeout}s"
            return 1
        fi
        sleep 0.25
    done
}

# sql [client args...]: the stock client with the credentials of the defaults file.
sql() { mariadb --defaults-extra-file="$CNF" "$@"; }
