#!/usr/bin/env bash
# The main job on the local sandbox: stands up an OMS 3.2.2 fixture deployment the way the vendor
# guide does, then upgrades it to 3.3.0 with oms-upgrade: plan, apply, status (the timeline).
# Re-running starts over from a fresh 3.2.2 deployment.
#
# Environment: HEARTBEAT_ROWS (default 100000) heartbeat rows to seed; DEMO_PORT (default 8089).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

OLD=oms_demo_322
NEW=oms_demo_330
WORK_DIR=$SANDBOX_DIR/demo-work

scripts/sandbox-up.sh
log "building oms-upgrade (release)"
swift build -c release --scratch-path .build-release --product oms-upgrade >&2
bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/oms-upgrade"

# A previous demo's upgraded container and snapshot/quarantine databases go first.
docker rm -f "$NEW" >/dev/null 2>&1 || true
for c in $(docker ps -a --format '{{.Names}}' | grep "^${NEW}_failed_" || true); do docker rm -f "$c" >/dev/null; done
load_sandbox_env
cnf=$(make_defaults_file "$OMS_SANDBOX_MYSQL_HOST" "$OMS_SANDBOX_MYSQL_PORT" "$OMS_SANDBOX_MYSQL_USER" "$OMS_SANDBOX_MYSQL_PASSWORD_FILE")
for db in $(mariadb --defaults-extra-file="$cnf" -N -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'oms\\_demo\\_%\\_\\_%'"); do
    mariadb --defaults-extra-file="$cnf" -e "DROP DATABASE $(sql_ident "$db")"
done
rm -rf "$WORK_DIR"

scripts/deploy-fixture.sh --name "$OLD" --db-prefix oms_demo_ --port "${DEMO_PORT:-8089}" --replace \
    --heartbeat-rows "${HEARTBEAT_ROWS:-100000}" >/dev/null

echo "== oms-upgrade plan"
"$bin" plan --container "$OLD" --image oms-fixture:3.3.0 --name "$NEW" --work-dir "$WORK_DIR"
echo
echo "== oms-upgrade apply"
"$bin" apply --container "$OLD" --image oms-fixture:3.3.0 --name "$NEW" --work-dir "$WORK_DIR" --yes --progress plain
echo
echo "== oms-upgrade status"
"$bin" status --work-dir "$WORK_DIR"
echo
echo "The upgraded OMS runs as $NEW; 'oms-upgrade rollback --work-dir $WORK_DIR' puts $OLD back."
