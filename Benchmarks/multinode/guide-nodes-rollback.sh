#!/usr/bin/env bash
# The vendor guide's rollback, node by node, reading the dumps
# guide-nodes-upgrade.sh wrote: stop the new container on every node, drop and
# re-create rm, cm and every region's heartbeat database, `mysql -e "source
# FILE"` each dump, start the old container on every node, wait for health on
# every node.
#
# Usage: Benchmarks/multinode/guide-nodes-rollback.sh --container OLD --new-name NEW
#          --backup-dir DIR --node IP=ENDPOINT... [--timings FILE] [--timeout S]
#   --timeout   seconds to wait for each node's old OMS to report healthy (120)
# Exit status: 0 every node healthy, 3 a node not healthy within --timeout, 1 other failures.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../upgrade/guide-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../upgrade/guide-lib.sh"
# shellcheck source-path=SCRIPTDIR source=guide-nodes-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/guide-nodes-lib.sh"

OLD='' NEW='' BACKUP_DIR='' TIMEOUT=120
need() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
while (($#)); do
    case $1 in
        --container) need "$@"; OLD=$2; shift ;;
        --new-name) need "$@"; NEW=$2; shift ;;
        --backup-dir) need "$@"; BACKUP_DIR=$2; shift ;;
        --node) need "$@"; add_node "$2"; shift ;;
        --timings) need "$@"; TIMINGS=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ -n $OLD && -n $NEW && -n $BACKUP_DIR ]] || die "--container, --new-name and --backup-dir are required"
((${#NODE_IPS[@]})) || die "give every node with --node IP=ENDPOINT"

read_nodes "$OLD"
DBS=("$RM_DB" "$CM_DB" "${HB_DBS[@]}")
for db in "${DBS[@]}"; do
    [[ -s $BACKUP_DIR/$db.sql ]] || die "no dump $BACKUP_DIR/$db.sql"
done
SEEN=()
for i in "${!NODE_IPS[@]}"; do SEEN[i]=$(on_node "$i" start_line_count "$OLD"); done

mark stop-begin
for i in "${!NODE_IPS[@]}"; do
    log "node ${NODE_IPS[i]}: docker stop $NEW"
    on_node "$i" docker stop "$NEW" >/dev/null
done
mark stopped-new

log "drop database ${DBS[*]}; create database ..."
for db in "${DBS[@]}"; do
    sql -e "drop database \`$db\`; create database \`$db\`"
done
mark recreated

for db in "${DBS[@]}"; do
    log "mysql -e \"source $BACKUP_DIR/$db.sql\" -D$db"
    sql -e "source $BACKUP_DIR/$db.sql" "-D$db"
    mark "sourced-$db"
done

for i in "${!NODE_IPS[@]}"; do
    log "node ${NODE_IPS[i]}: docker start $OLD"
    on_node "$i" docker start "$OLD" >/dev/null
done
mark started-old

status=0
for i in "${!NODE_IPS[@]}"; do
    log "node ${NODE_IPS[i]}: waiting up to ${TIMEOUT}s for $OLD to report healthy"
    on_node "$i" wait_healthy "$OLD" "${SEEN[i]}" "$TIMEOUT" || status=3
done
((status == 0)) && mark healthy
print_marks
exit "$status"
