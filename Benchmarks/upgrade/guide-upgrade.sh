#!/usr/bin/env bash
# The vendor guide's manual 3.2.2-CE -> 3.3.0-CE upgrade
# (seed/oms-ce-3.3.0-upgrade-guide.md), command for command, without its slips:
# one cm_hb dump name for backup and restore, a complete `docker run`, the
# password in a 0600 defaults file instead of -p<password>, and the heartbeat
# prune as two statements (one DELETE with a subquery on the same table is
# error 1093). --privileged is left out: this host refuses it. On the OceanBase
# kernel the DELETE's session raises ob_query_timeout and ob_trx_timeout first,
# as an operator must there: the server's default 10 s limit (error 4012) cuts
# the guide's one DELETE of a large heartbeat table.
#
# Usage: Benchmarks/upgrade/guide-upgrade.sh --container OLD --new-name NEW
#          --image IMAGE --backup-dir DIR [--host-ip IP] [--timings FILE]
#          [--timeout S] [--init-timeout S]
#   --backup-dir   where the three dumps go (created 0700, files 0600)
#   --timings      append "phase epoch" lines to FILE
#   --timeout      seconds to wait for the new OMS to report healthy (120)
# Exit status: 0 healthy, 3 not healthy within --timeout, 1 other failures.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=guide-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/guide-lib.sh"

OLD='' NEW='' IMAGE='' BACKUP_DIR='' HOST_IP=127.0.0.1 TIMEOUT=120 INIT_TIMEOUT=1800
need() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
while (($#)); do
    case $1 in
        --container) need "$@"; OLD=$2; shift ;;
        --new-name) need "$@"; NEW=$2; shift ;;
        --image) need "$@"; IMAGE=$2; shift ;;
        --backup-dir) need "$@"; BACKUP_DIR=$2; shift ;;
        --host-ip) need "$@"; HOST_IP=$2; shift ;;
        --timings) need "$@"; TIMINGS=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        --init-timeout) need "$@"; INIT_TIMEOUT=$2; shift ;;
        -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ -n $OLD && -n $NEW && -n $IMAGE && -n $BACKUP_DIR ]] ||
    die "--container, --new-name, --image and --backup-dir are required"

# Before the downtime: what the operator looks up first.
container_mounts "$OLD"
read_config "$CONFIG_SRC"
session_limits=
if sql -N -B -e 'SELECT VERSION()' | grep -q OceanBase; then
    session_limits='SET SESSION ob_query_timeout = 3600000000, ob_trx_timeout = 3600000000; '
fi
umask 077
mkdir -p "$BACKUP_DIR"
chmod 0700 "$BACKUP_DIR"

mark stop-begin
log "docker stop $OLD"
docker stop "$OLD" >/dev/null
mark stopped

# Step 1.2: keep only the newest heartbeat row.
max_id=$(sql -N -B -D "$CM_HB_DB" -e 'select max(id) from heatbeat_sequence')
if [[ $max_id =~ ^[0-9]+$ ]]; then
    log "${session_limits}delete from heatbeat_sequence where id < $max_id"
    sql -D "$CM_HB_DB" -e "${session_limits}delete from heatbeat_sequence where id < $max_id"
fi
mark pruned

# Step 1.3: dump the three databases; the guide's only check is a non-empty file.
for db in "$RM_DB" "$CM_DB" "$CM_HB_DB"; do
    log "mysqldump --triggers=false $db > $BACKUP_DIR/$db.sql"
    mariadb-dump --defaults-extra-file="$CNF" --triggers=false "$db" >"$BACKUP_DIR/$db.sql"
    [[ -s $BACKUP_DIR/$db.sql ]] || die "the dump of $db is empty"
    mark "dumped-$db"
done

# Step 2: the new container on the same mounts.
run_args=(
    run -dit --net host
    -v "$CONFIG_SRC:/home/admin/conf/config.yaml"
    -v "$LOGS_SRC:/home/admin/logs"
    -v "$STORE_SRC:/home/ds/store"
    -v "$RUN_SRC:/home/ds/run"
)
if [[ -n $SSL_CRT_SRC && -n $SSL_KEY_SRC ]]; then
    run_args+=(-v "$SSL_CRT_SRC:/etc/pki/nginx/oms_server.crt" -v "$SSL_KEY_SRC:/etc/pki/nginx/oms_server.key")
fi
run_args+=(-e "OMS_HOST_IP=$HOST_IP" --pids-limit -1 --ulimit nproc=65535:65535 --name "$NEW" "$IMAGE")
log "docker ${run_args[*]}"
docker "${run_args[@]}" >/dev/null
mark started-new

# Step 3: metadata schema changes.
log "docker exec $NEW bash /root/docker_init.sh"
timeout "$INIT_TIMEOUT" docker exec "$NEW" bash /root/docker_init.sh >&2 ||
    die "bash /root/docker_init.sh failed in $NEW"
mark init-done

log "waiting up to ${TIMEOUT}s for $NEW to report healthy at $(console_url)/oms/health"
status=0
if wait_healthy "$NEW" 0 "$TIMEOUT"; then
    mark healthy
else
    status=3
fi
print_marks
exit "$status"
