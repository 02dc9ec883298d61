#!/usr/bin/env bash
# The vendor guide's rollback (step 4 of seed/oms-ce-3.3.0-upgrade-guide.md),
# command for command, reading the dumps guide-upgrade.sh wrote (under the
# same cm_hb file name it wrote them) with the password in a 0600 defaults
# file: stop the new container, drop and re-create the three databases,
# `mysql -e "source FILE"` each dump, start the old container.
#
# Usage: Benchmarks/upgrade/guide-rollback.sh --container OLD --new-name NEW
#          --backup-dir DIR [--timings FILE] [--timeout S]
#   --timeout   seconds to wait for the old OMS to report healthy (120)
# Exit status: 0 healthy, 3 not healthy within --timeout, 1 other failures.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=guide-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/guide-lib.sh"

OLD='' NEW='' BACKUP_DIR='' TIMEOUT=120
need() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
while (($#)); do
    case $1 in
        --container) need "$@"; OLD=$2; shift ;;
        --new-name) need "$@"; NEW=$2; shift ;;
        --backup-dir) need "$@"; BACKUP_DIR=$2; shift ;;
        --timings) need "$@"; TIMINGS=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ -n $OLD && -n $NEW && -n $BACKUP_DIR ]] || die "--container, --new-name and --backup-dir are required"

container_mounts "$OLD"
read_config "$CONFIG_SRC"
for db in "$RM_DB" "$CM_DB" "$CM_HB_DB"; do
    [[ -s $BACKUP_DIR/$db.sql ]] || die "no dump $BACKUP_DIR/$db.sql"
done
seen=$(start_line_count "$OLD")

mark stop-begin
log "docker stop $NEW"
docker stop "$NEW" >/dev/null
mark stopped-new

log "drop database ${RM_DB}, ${CM_DB}, ${CM_HB_DB}; create database ..."
sql <<EOF
drop database \`$RM_DB\`;
drop database \`$CM_DB\`;
drop database \`$CM_HB_DB\`;
create database \`$RM_DB\`;
create database \`$CM_DB\`;
create database \`$CM_HB_DB\`;
EOF
mark recreated

for db in "$RM_DB" "$CM_DB" "$CM_HB_DB"; do
    log "mysql -e \"source $BACKUP_DIR/$db.sql\" -D$db"
    sql -e "source $BACKUP_DIR/$db.sql" "-D$db"
    mark "sourced-$db"
done

log "docker start $OLD"
docker start "$OLD" >/dev/null
mark started-old

log "waiting up to ${TIMEOUT}s for $OLD to report healthy at $(console_url)/oms/health"
status=0
if wait_healthy "$OLD" "$seen" "$TIMEOUT"; then
    mark healthy
else
    status=3
fi
print_marks
exit "$status"
