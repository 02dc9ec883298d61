#!/usr/bin/env bash
# The vendor guides' manual multi-node upgrade, node by node, as an operator
# runs it: stop the old container on every node, prune every region's
# heartbeat table (SELECT max(id), then DELETE), mysqldump rm, cm and every
# region's heartbeat database, start the new image on every node with the
# node's own OMS_HOST_IP and the same mounts, run docker_init.sh on the init
# node(s), wait for health on every node. The single-node script's fixes of
# the guide's slips apply (Benchmarks/upgrade/guide-upgrade.sh).
#
# Usage: Benchmarks/multinode/guide-nodes-upgrade.sh --container OLD --new-name NEW
#          --image IMAGE --backup-dir DIR --node IP=ENDPOINT... --init-node IP...
#          [--timings FILE] [--timeout S] [--init-timeout S]
#   --node       a node and its docker endpoint (what `docker -H` takes), in order
#   --init-node  a node where docker_init.sh runs (the guides' rule), in order
#   --backup-dir where the dumps go (created 0700, files 0600)
#   --timings    append "phase epoch" lines to FILE
#   --timeout    seconds to wait for each node's new OMS to report healthy (120)
# Exit status: 0 every node healthy, 3 a node not healthy within --timeout, 1 other failures.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../upgrade/guide-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../upgrade/guide-lib.sh"
# shellcheck source-path=SCRIPTDIR source=guide-nodes-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/guide-nodes-lib.sh"

OLD='' NEW='' IMAGE='' BACKUP_DIR='' TIMEOUT=120 INIT_TIMEOUT=1800 INIT_NODES=()
need() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
while (($#)); do
    case $1 in
        --container) need "$@"; OLD=$2; shift ;;
        --new-name) need "$@"; NEW=$2; shift ;;
        --image) need "$@"; IMAGE=$2; shift ;;
        --backup-dir) need "$@"; BACKUP_DIR=$2; shift ;;
        --node) need "$@"; add_node "$2"; shift ;;
        --init-node) need "$@"; INIT_NODES+=("$2"); shift ;;
        --timings) need "$@"; TIMINGS=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        --init-timeout) need "$@"; INIT_TIMEOUT=$2; shift ;;
        -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ -n $OLD && -n $NEW && -n $IMAGE && -n $BACKUP_DIR ]] ||
    die "--container, --new-name, --image and --backup-dir are required"
((${#NODE_IPS[@]})) || die "give every node with --node IP=ENDPOINT"
((${#INIT_NODES[@]})) || die "give the init node(s) with --init-node IP"
for ip in "${INIT_NODES[@]}"; do node_index "$ip" >/dev/null || die "--init-node $ip is not a --node"; done

# Before the downtime: every node's mounts and config.yaml, as the operator looks them up.
read_nodes "$OLD"
umask 077
mkdir -p "$BACKUP_DIR"
chmod 0700 "$BACKUP_DIR"

mark stop-begin
for i in "${!NODE_IPS[@]}"; do
    log "node ${NODE_IPS[i]}: docker stop $OLD"
    on_node "$i" docker stop "$OLD" >/dev/null
done
mark stopped

# Every region's heartbeat table: keep only the newest row.
for db in "${HB_DBS[@]}"; do
    max_id=$(sql -N -B -D "$db" -e 'select max(id) from heatbeat_sequence')
    if [[ $max_id =~ ^[0-9]+$ ]]; then
        log "$db: delete from heatbeat_sequence where id < $max_id"
        sql -D "$db" -e "delete from heatbeat_sequence where id < $max_id"
    fi
done
mark pruned

for db in "$RM_DB" "$CM_DB" "${HB_DBS[@]}"; do
    log "mysqldump --triggers=false $db > $BACKUP_DIR/$db.sql"
    mariadb-dump --defaults-extra-file="$CNF" --triggers=false "$db" >"$BACKUP_DIR/$db.sql"
    [[ -s $BACKUP_DIR/$db.sql ]] || die "the dump of $db is empty"
    mark "dumped-$db"
done

for i in "${!NODE_IPS[@]}"; do
    run_args=(
        run -dit --net host
        -v "${NODE_CONFIG[i]}:/home/admin/conf/config.yaml"
        -v "${NODE_LOGS[i]}:/home/admin/logs"
        -v "${NODE_STORE[i]}:/home/ds/store"
        -v "${NODE_RUN[i]}:/home/ds/run"
        -e "OMS_HOST_IP=${NODE_IPS[i]}" --pids-limit -1 --ulimit nproc=65535:65535 --name "$NEW" "$IMAGE"
    )
    log "node ${NODE_IPS[i]}: docker ${run_args[*]}"
    on_node "$i" docker "${run_args[@]}" >/dev/null
done
mark started-new

for ip in "${INIT_NODES[@]}"; do
    i=$(node_index "$ip")
    log "node $ip: docker exec $NEW bash /root/docker_init.sh"
    on_node "$i" timeout "$INIT_TIMEOUT" docker exec "$NEW" bash /root/docker_init.sh >&2 ||
        die "bash /root/docker_init.sh failed in $NEW on node $ip"
done
mark init-done

status=0
for i in "${!NODE_IPS[@]}"; do
    log "node ${NODE_IPS[i]}: waiting up to ${TIMEOUT}s for $NEW to report healthy"
    on_node "$i" wait_healthy "$NEW" 0 "$TIMEOUT" || status=3
done
((status == 0)) && mark healthy
print_marks
exit "$status"
