#!/usr/bin/env bash
# Downtime benchmark (issue 5): `oms-upgrade apply` / `rollback` against the
# vendor guide's manual commands (Benchmarks/upgrade/guide-*.sh), side by
# side in one run on two identical OMS 3.2.2 fixture deployments:
#   1. brings the sandbox up and builds oms-upgrade in release;
#   2. deploys two identical 3.2.2 fixtures (deploy-fixture.sh --replace);
#   3. upgrades one with the guide's commands, the other with oms-upgrade;
#   4. rolls both back the same two ways;
#   5. prints one table: tool-controlled and total downtime, the data part
#      and the total of the rollback, the ratios against the targets, and
#      the sizes used;
#   6. removes both deployments (containers, databases, directories), also
#      when it fails.
#
# Usage: scripts/bench-upgrade.sh [--quick] [--keep] [--timeout S] [--json FILE]
#                                 [--rm-rows N] [--tool PATH] [--no-sandbox-up] [--oceanbase]
#   --quick      small smoke run (20000 heartbeat rows, 2000 projects)
#   --keep       leave the deployments and the results directory in place
#   --timeout S  limit of every wait for healthy (default 120)
#   --json FILE  also write the numbers as JSON to FILE
#   --rm-rows N  about N rows in rm (sets PROJECT_ROWS = N / 2.35)
#   --tool PATH  use this oms-upgrade binary instead of a release build
#   --no-sandbox-up  do not run sandbox-up.sh (it must be up already)
#   --oceanbase  the metadata on the sandbox's OceanBase kernel (seekdb on 127.0.0.1:2881)
#                instead of MariaDB; the guide's commands run against it as written
# Environment: OB_GLOBAL_QUERY_TIMEOUT_US (with --oceanbase: SET GLOBAL ob_query_timeout to this
#   for the run and back at the end, as an operator whose vendor init updates a large table must:
#   the tenant's 10 s default cuts the init's UPDATE of oms_project at 1M rm rows with 4012),
#   HEARTBEAT_ROWS (default 2000000), PROJECT_ROWS (default 88000,
#   which makes ~300k rm+cm rows: each project row seeds 3.4 rows, 2.35 of
#   them in rm), BENCH_PORT (default 18489; the guide's fixture uses it,
#   oms-upgrade's BENCH_PORT+100; each takes 5 ports), OMS_FIXTURE_REPO
#   (fixture image repository, default oms-fixture).
# Both old deployments run the fixture's continuous writer (on by default in
# 3.2.2); the report adds its write latency p50/p99 while idle (30 s before
# apply) and during apply's online phase (apply start -> health down).
# Runs as root on the sandbox host.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench.sh"

QUICK=false
KEEP=false
SERVER=mariadb
TOOL=
SANDBOX_UP=true
WAIT_TIMEOUT=120
JSON_OUT=
while (($#)); do
    case $1 in
        --quick) QUICK=true ;;
        --keep) KEEP=true ;;
        --timeout) [[ $# -ge 2 ]] || die "--timeout needs a value"; WAIT_TIMEOUT=$2; shift ;;
        --json) [[ $# -ge 2 ]] || die "--json needs a value"; JSON_OUT=$(realpath -m "$2"); shift ;;
        --rm-rows) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--rm-rows needs a number"; PROJECT_ROWS=$(($2 * 100 / 235)); shift ;;
        --tool) [[ $# -ge 2 && -x $2 ]] || die "--tool needs an executable"; TOOL=$(realpath "$2"); shift ;;
        --no-sandbox-up) SANDBOX_UP=false ;;
        --oceanbase) SERVER=oceanbase ;;
        -h | --help) sed -n '2,37p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
if [[ $QUICK == true ]]; then
    HEARTBEAT_ROWS=${HEARTBEAT_ROWS:-20000}
    PROJECT_ROWS=${PROJECT_ROWS:-2000}
else
    HEARTBEAT_ROWS=${HEARTBEAT_ROWS:-2000000}
    PROJECT_ROWS=${PROJECT_ROWS:-88000}
fi
BENCH_PORT=${BENCH_PORT:-18489}
for n in WAIT_TIMEOUT HEARTBEAT_ROWS PROJECT_ROWS BENCH_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n: not a number: ${!n}"
done
[[ $(id -u) == 0 ]] || die "run as root (the sandbox and docker need it)"

BENCH=$REPO_ROOT/Benchmarks/upgrade
FROM_IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.2.2
TO_IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.3.0
G_OLD=obench_guide_322 G_NEW=obench_guide_330 G_PREFIX=obench_guide_ G_PORT=$BENCH_PORT
T_OLD=obench_tool_322 T_NEW=obench_tool_330 T_PREFIX=obench_tool_ T_PORT=$((BENCH_PORT + 100))
# Every container and database this benchmark makes (oms-upgrade adds
# <db>__<label> siblings and may rename containers to <name>_...).
OWN_CONTAINERS='^obench_(guide|tool)_'
OWN_DATABASES='^obench_(guide|tool)_(rm|cm|cm_hb)($|__)'

export PATH=/opt/swift/usr/bin:$PATH

bench_workdir bench-upgrade
CNF=
META_ARGS=()
SQL_INIT=()
EVENTS_PID=
POLL_PID=

sql() { mariadb --defaults-extra-file="$CNF" "${SQL_INIT[@]}" --batch --skip-column-names "$@"; }

# remove_own: the containers and databases of this benchmark (also what a
# --keep run left behind).
remove_own() {
    local c db
    for c in $(docker ps -a --format '{{.Names}}' 2>/dev/null | grep -E "$OWN_CONTAINERS" || true); do
        docker rm -f "$c" >/dev/null 2>&1 || log "warning: could not remove container $c"
    done
    if [[ -n $CNF && -s $CNF ]]; then
        for db in $(sql -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME REGEXP $(sql_str "$OWN_DATABASES")" 2>/dev/null || true); do
            sql -e "DROP DATABASE IF EXISTS $(sql_ident "$db")" || log "warning: could not drop $db"
        done
    fi
}

OB_GLOBAL_RESTORE=
cleanup() {
    local rc=$?
    trap - INT TERM
    stop_observers
    if [[ -n $OB_GLOBAL_RESTORE ]]; then
        sql -e "SET GLOBAL ob_query_timeout = $OB_GLOBAL_RESTORE" || log "warning: could not restore ob_query_timeout"
    fi
    remove_unless_kept
    _cleanup
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { [[ -z $(ss -Hltn "sport = :$1") ]]; }

deploy() {
    local name=$1 prefix=$2 port=$3
    log "deploying $name (${HEARTBEAT_ROWS} heartbeat rows, ${PROJECT_ROWS} projects, port $port)"
    "$REPO_ROOT/scripts/deploy-fixture.sh" --replace --name "$name" --dir "$WORK/$name" \
        --db-prefix "$prefix" --port "$port" --heartbeat-rows "$HEARTBEAT_ROWS" \
        --project-rows "$PROJECT_ROWS" --timeout "$WAIT_TIMEOUT" "${META_ARGS[@]}" \
        >"$LOGS/deploy-$name.out" 2>"$LOGS/deploy-$name.err" ||
        { show "$LOGS/deploy-$name.err"; die "deploy-fixture.sh $name failed"; }
}

record_sizes() {
    local side=$1 prefix=$2 rm cm rmb cmb
    rm=$(exact_rows "${prefix}rm") cm=$(exact_rows "${prefix}cm")
    rmb=$(bytes "${prefix}rm") cmb=$(bytes "${prefix}cm")
    result "${side}_hb_rows" "$(sql -e "SELECT COUNT(*) FROM $(sql_ident "${prefix}cm_hb").heatbeat_sequence")"
    result "${side}_hb_bytes" "$(bytes "${prefix}cm_hb")"
    result "${side}_rm_rows" "$rm"
    result "${side}_cm_rows" "$cm"
    result "${side}_rm_bytes" "$rmb"
    result "${side}_cm_bytes" "$cmb"
    result "${side}_rmcm_rows" $((rm + cm))
    result "${side}_rmcm_bytes" $((rmb + cmb))
}

# writer_latency ACKFILE FROM TO: p50 and p99 (ms) of the writer's transactions committed in [FROM, TO) (epoch s).
writer_latency() {
    awk -v from="$2" -v to="$3" '
        { at = 0; us = -1
          for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "at") at = kv[2] / 1e6; if (kv[1] == "us") us = kv[2] }
          if (us >= 0 && at >= from && at < to) print us / 1000 }' "$1" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a n/a 0"; exit }
              p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]; printf "%.1f %.1f %d\n", p50, p99, NR }'
}

# The observers measure both sides on one clock, independent of the guide
# scripts' marks and of oms-upgrade's journal: docker events (nanoseconds)
# for stop, init and start, and a /oms/health poller for the outage.
start_events() {
    docker events --filter type=container --filter "container=$G_OLD" --filter "container=$G_NEW" \
        --filter "container=$T_OLD" --filter "container=$T_NEW" --format '{{json .}}' \
        >"$RESULTS/events.jsonl" 2>/dev/null &
    EVENTS_PID=$!
}

# start_poller PORT FILE: appends "up|down epoch" to FILE on every change of
# the console's health, looking every 0.2 s.
start_poller() {
    poll_health "http://127.0.0.1:$1/oms/health" "$2" &
    POLL_PID=$!
}

# stop_poller [FILE]: stops the poller, after letting it see the service up
# again (for up to 3 s) when FILE is given.
stop_poller() {
    local file=${1:-} i
    if [[ -n $POLL_PID ]]; then
        for ((i = 0; i < 15; i++)); do
            [[ -z $file || $(tail -n 1 "$file" 2>/dev/null) == up* ]] && break
            sleep 0.2
        done
        kill "$POLL_PID" 2>/dev/null || true
        wait "$POLL_PID" 2>/dev/null || true
        POLL_PID=
    fi
}

stop_observers() {
    stop_poller
    if [[ -n $EVENTS_PID ]]; then
        kill "$EVENTS_PID" 2>/dev/null || true
        wait "$EVENTS_PID" 2>/dev/null || true
        EVENTS_PID=
    fi
}

run_guide_upgrade() {
    local t0 rc=0
    log "guide: upgrading $G_OLD -> $G_NEW"
    t0=$(now)
    "$BENCH/guide-upgrade.sh" --container "$G_OLD" --new-name "$G_NEW" --image "$TO_IMAGE" \
        --backup-dir "$WORK/guide-backup" --timings "$RESULTS/guide-upgrade.timings" \
        --timeout "$WAIT_TIMEOUT" >"$LOGS/guide-upgrade.out" 2>"$LOGS/guide-upgrade.err" || rc=$?
    result guide_upgrade_wall "$(elapsed "$t0")"
    result guide_upgrade_rc "$rc"
    show "$LOGS/guide-upgrade.out"
    case $rc in
        0) ;;
        3) note "guide upgrade: $G_NEW not healthy within ${WAIT_TIMEOUT}s" ;;
        *) show "$LOGS/guide-upgrade.err"; die "guide-upgrade.sh failed (exit $rc)" ;;
    esac
}

run_guide_rollback() {
    local t0 rc=0
    log "guide: rolling back to $G_OLD"
    t0=$(now)
    "$BENCH/guide-rollback.sh" --container "$G_OLD" --new-name "$G_NEW" \
        --backup-dir "$WORK/guide-backup" --timings "$RESULTS/guide-rollback.timings" \
        --timeout "$WAIT_TIMEOUT" >"$LOGS/guide-rollback.out" 2>"$LOGS/guide-rollback.err" || rc=$?
    result guide_rollback_wall "$(elapsed "$t0")"
    result guide_rollback_rc "$rc"
    show "$LOGS/guide-rollback.out"
    case $rc in
        0) ;;
        3) note "guide rollback: $G_OLD not healthy within ${WAIT_TIMEOUT}s" ;;
        *) show "$LOGS/guide-rollback.err"; die "guide-rollback.sh failed (exit $rc)" ;;
    esac
}

# tool CMD ARGS...: runs oms-upgrade with a hard time limit (every wait inside
# it is bounded by --health-timeout too); stdout/stderr go to $LOGS/tool-CMD.*.
tool() {
    local cmd=$1
    timeout --signal=INT --kill-after=30 $((WAIT_TIMEOUT * 4 + 1800)) \
        "$TOOL" "$@" >"$LOGS/tool-$cmd.out" 2>"$LOGS/tool-$cmd.err"
}

tool_status() {
    "$TOOL" status --work-dir "$WORK/tool-work" --json >"$RESULTS/$1" 2>"$LOGS/tool-status.err" ||
        { show "$LOGS/tool-status.err"; note "oms-upgrade status --json failed"; }
}

run_tool_apply() {
    local t0 rc=0 down idle online
    log "oms-upgrade: apply $T_OLD -> $T_NEW (after 30 s of idle writer latency)"
    sleep 30
    t0=$(now)
    tool apply --container "$T_OLD" --image "$TO_IMAGE" --name "$T_NEW" --work-dir "$WORK/tool-work" \
        --health-timeout "$WAIT_TIMEOUT" --yes --progress plain || rc=$?
    result tool_apply_wall "$(elapsed "$t0")"
    result tool_apply_rc "$rc"
    show "$LOGS/tool-apply.out"
    if ((rc != 0)); then
        show "$LOGS/tool-apply.err"
        note "oms-upgrade apply exited with status $rc"
    fi
    tool_status tool-status-apply.json
    down=$(awk '$1 == "down" { print $2; exit }' "$RESULTS/tool-apply.health" 2>/dev/null)
    idle=$(writer_latency "$WORK/$T_OLD/oms_logs/oms_fixture_writer.ack" "$(awk -v t="$t0" 'BEGIN { printf "%.3f", t - 30 }')" "$t0")
    online=$(writer_latency "$WORK/$T_OLD/oms_logs/oms_fixture_writer.ack" "$t0" "${down:-$t0}")
    result writer_idle "$idle"
    result writer_online "$online"
}

run_tool_rollback() {
    local t0 rc=0
    log "oms-upgrade: rollback"
    t0=$(now)
    tool rollback --work-dir "$WORK/tool-work" --yes --progress plain || rc=$?
    result tool_rollback_wall "$(elapsed "$t0")"
    result tool_rollback_rc "$rc"
    show "$LOGS/tool-rollback.out"
    if ((rc != 0)); then
        show "$LOGS/tool-rollback.err"
        note "oms-upgrade rollback exited with status $rc"
    fi
    tool_status tool-status-rollback.json
}

# check_leaks: the metadata password must not appear in anything the tool or
# the guide scripts printed or wrote outside the deployments' config.yaml.
check_leaks() {
    local hits
    hits=$(grep -rlF -f "$OMS_SANDBOX_MYSQL_PASSWORD_FILE" "$LOGS" "$RESULTS" "$WORK/tool-work" "$WORK/guide-backup" 2>/dev/null || true)
    if [[ -n $hits ]]; then
        note "the metadata password appears in: $(echo "$hits" | tr '\n' ' ')"
    fi
}

main() {
    local g_before t_before g_after t_after p
    [[ $SANDBOX_UP == true ]] && "$REPO_ROOT/scripts/sandbox-up.sh" >&2
    load_sandbox_env
    if [[ $SERVER == oceanbase ]]; then
        [[ -n ${OMS_SANDBOX_OB_PORT:-} ]] || die "sandbox.env names no OceanBase kernel: run scripts/sandbox-up.sh"
        META_ARGS=(--meta-host "$OMS_SANDBOX_OB_HOST" --meta-port "$OMS_SANDBOX_OB_PORT"
            --meta-user "$OMS_SANDBOX_OB_USER" --meta-password-file "$OMS_SANDBOX_OB_PASSWORD_FILE")
        CNF=$(make_defaults_file "$OMS_SANDBOX_OB_HOST" "$OMS_SANDBOX_OB_PORT" "$OMS_SANDBOX_OB_USER" "$OMS_SANDBOX_OB_PASSWORD_FILE")
        # Its 10 s statement limit would cut the benchmark's own row counts and fingerprints.
        SQL_INIT=(--init-command='SET SESSION ob_query_timeout = 3600000000, ob_trx_timeout = 3600000000')
        if [[ -n ${OB_GLOBAL_QUERY_TIMEOUT_US:-} ]]; then
            [[ $OB_GLOBAL_QUERY_TIMEOUT_US =~ ^[0-9]+$ ]] || die "OB_GLOBAL_QUERY_TIMEOUT_US: not a number"
            OB_GLOBAL_RESTORE=$(sql -e 'SELECT @@GLOBAL.ob_query_timeout')
            sql -e "SET GLOBAL ob_query_timeout = $OB_GLOBAL_QUERY_TIMEOUT_US"
            result ob_global_query_timeout_us "$OB_GLOBAL_QUERY_TIMEOUT_US"
        fi
    else
        CNF=$(make_defaults_file "$OMS_SANDBOX_MYSQL_HOST" "$OMS_SANDBOX_MYSQL_PORT" "$OMS_SANDBOX_MYSQL_USER" "$OMS_SANDBOX_MYSQL_PASSWORD_FILE")
    fi
    result server "$SERVER"
    remove_own
    for p in $(seq "$G_PORT" $((G_PORT + 4))) $(seq "$T_PORT" $((T_PORT + 4))); do
        port_free "$p" || die "port $p is in use; set BENCH_PORT to a free range"
    done
    [[ -n $TOOL ]] || build_tool release "$REPO_ROOT/.build-release"

    result_settings

    deploy "$G_OLD" "$G_PREFIX" "$G_PORT"
    deploy "$T_OLD" "$T_PREFIX" "$T_PORT"
    record_sizes guide "$G_PREFIX"
    record_sizes tool "$T_PREFIX"
    g_before=$(fingerprint "$G_PREFIX")
    t_before=$(fingerprint "$T_PREFIX")

    result guide_old "$G_OLD"; result guide_new "$G_NEW"; result tool_old "$T_OLD"; result tool_new "$T_NEW"
    start_events
    settle
    start_poller "$G_PORT" "$RESULTS/guide-upgrade.health"
    run_guide_upgrade
    stop_poller "$RESULTS/guide-upgrade.health"
    settle
    start_poller "$T_PORT" "$RESULTS/tool-apply.health"
    run_tool_apply
    stop_poller "$RESULTS/tool-apply.health"
    settle
    start_poller "$G_PORT" "$RESULTS/guide-rollback.health"
    run_guide_rollback
    stop_poller "$RESULTS/guide-rollback.health"
    settle
    start_poller "$T_PORT" "$RESULTS/tool-rollback.health"
    run_tool_rollback
    stop_poller "$RESULTS/tool-rollback.health"
    sleep 1 # lets docker events flush the last events
    stop_observers

    g_after=$(fingerprint "$G_PREFIX")
    t_after=$(fingerprint "$T_PREFIX")
    result guide_restored "$([[ $g_after == "$g_before" ]] && echo yes || echo no)"
    result tool_restored "$([[ $t_after == "$t_before" ]] && echo yes || echo no)"
    check_leaks
    print_report
}

main
