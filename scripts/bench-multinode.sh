#!/usr/bin/env bash
# Multi-node outage benchmark (issue 11): the outage of upgrading a three-node
# OMS deployment with `oms-upgrade apply --node ...`, against a one-node
# deployment with the same data upgraded the same way, and against the vendor
# guide's procedure run node by node as a script, in one run on the
# multi-node test bed (scripts/nodes-up.sh):
#   1. tool3:  a 1x3 deployment (deploy-nodes.sh) upgraded by `apply --node` x3;
#   2. tool1:  a 1x1 deployment on the bed's first node, same data, `apply --node` x1;
#   3. guide3: a 1x3 deployment upgraded by Benchmarks/multinode/guide-nodes-upgrade.sh;
#   4. rolls tool3 back with `oms-upgrade rollback` and guide3 with the guide's
#      restore (guide-nodes-rollback.sh), unless --no-rollback;
#   5. prints one table (outages, ratios against the targets, phases, sizes);
#   6. removes everything it made, also on failure (--keep leaves it).
# Each variant is deployed, measured and removed before the next one, so no
# other benchmark deployment loads the server while one is measured. The outage
# is what a user sees: a poller per node reads http://NODE:PORT/oms/health every
# 0.2 s; the outage runs from the first node going down to the last node healthy
# again. The tool's own phase times come from `oms-upgrade status --json`, the
# guide's from its marks.
#
# Usage: scripts/bench-multinode.sh [--quick] [--keep] [--no-rollback] [--timeout S]
#                                   [--json FILE] [--tool PATH | --debug] [--rm-rows N]
#   --quick        small smoke run (20000 heartbeat rows, 2000 projects)
#   --keep         leave the deployments and the results directory in place (the
#                  variants then run next to each other's idle deployments)
#   --no-rollback  skip step 4
#   --timeout S    limit of every wait for healthy (default 180)
#   --json FILE    also write the numbers as JSON to FILE
#   --tool PATH    use this oms-upgrade binary instead of a release build
#   --debug        build and use the debug binary (.build/debug) instead of release
#   --rm-rows N    about N rows in rm (PROJECT_ROWS = N)
# Environment: HEARTBEAT_ROWS (per region, default 1000000), PROJECT_ROWS
#   (rm.oms_project rows, default 250000), MNB_PORT (default 18789; tool3 uses
#   it, tool1 MNB_PORT+10, guide3 MNB_PORT+20, five ports each), OMS_FIXTURE_REPO.
# Everything it makes is named mnb_* (containers on the bed's nodes, databases,
# /var/tmp/oms-bench-multinode.*). Runs as root on the sandbox host.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/nodes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/nodes.sh"
# shellcheck source-path=SCRIPTDIR source=lib/bench.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench.sh"

QUICK=false
KEEP=false
ROLLBACK=true
TOOL=
CONFIG=release
WAIT_TIMEOUT=180
JSON_OUT=
while (($#)); do
    case $1 in
        --quick) QUICK=true ;;
        --keep) KEEP=true ;;
        --no-rollback) ROLLBACK=false ;;
        --debug) CONFIG=debug ;;
        --timeout) [[ $# -ge 2 ]] || die "--timeout needs a value"; WAIT_TIMEOUT=$2; shift ;;
        --json) [[ $# -ge 2 ]] || die "--json needs a value"; JSON_OUT=$(realpath -m "$2"); shift ;;
        --tool) [[ $# -ge 2 && -x $2 ]] || die "--tool needs an executable"; TOOL=$(realpath "$2"); shift ;;
        --rm-rows) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--rm-rows needs a number"; PROJECT_ROWS=$2; shift ;;
        -h | --help) sed -n '2,36p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
if [[ $QUICK == true ]]; then
    HEARTBEAT_ROWS=${HEARTBEAT_ROWS:-20000}
    PROJECT_ROWS=${PROJECT_ROWS:-2000}
else
    HEARTBEAT_ROWS=${HEARTBEAT_ROWS:-1000000}
    PROJECT_ROWS=${PROJECT_ROWS:-250000}
fi
MNB_PORT=${MNB_PORT:-18789}
for n in WAIT_TIMEOUT HEARTBEAT_ROWS PROJECT_ROWS MNB_PORT; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n: not a number: ${!n}"
done
[[ $(id -u) == 0 ]] || die "run as root (the test bed and docker need it)"

BENCH=$REPO_ROOT/Benchmarks/multinode
FROM_IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.2.2
TO_IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.3.0
OWN_CONTAINERS='^mnb_(tool3|tool1|guide3)_'
OWN_DATABASES='^mnb_(tool3|tool1|guide3)_'

export PATH=/opt/swift/usr/bin:$PATH

bench_workdir bench-multinode
CNF=
POLL_PIDS=()

sql() { mariadb --defaults-extra-file="$CNF" --batch --skip-column-names "$@"; }

# remove_own [KEY]: the containers (on every node of the bed) and databases of
# variant KEY, or of every variant (also what a --keep run left behind).
remove_own() {
    local key=${1:-} cre=$OWN_CONTAINERS dre=$OWN_DATABASES i c db
    [[ -z $key ]] || cre="^mnb_${key}_" dre="^mnb_${key}_"
    for i in $(recorded_nodes); do
        for c in $(node_docker "$i" ps -a --format '{{.Names}}' 2>/dev/null | grep -E "$cre" || true); do
            node_docker "$i" rm -f "$c" >/dev/null 2>&1 || log "warning: could not remove $c on $(node_name "$i")"
        done
    done
    if [[ -n $CNF && -s $CNF ]]; then
        for db in $(sql -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA
                WHERE SCHEMA_NAME REGEXP $(sql_str "$dre")" 2>/dev/null || true); do
            sql -e "DROP DATABASE IF EXISTS $(sql_ident "$db")" || log "warning: could not drop $db"
        done
    fi
    [[ -z $key ]] || rm -rf -- "${WORK:?}/$key" "${WORK:?}/$key-work" "${WORK:?}/$key-backup"
}

cleanup() {
    local rc=$?
    trap - INT TERM
    stop_pollers
    remove_unless_kept
    _cleanup
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# build_own_tool: the binary of CONFIG. Not release.sh's .build-release: that one links the
# Swift runtime statically, and sharing the folder with other flags would rebuild everything each time.
build_own_tool() {
    local scratch=$REPO_ROOT/.build
    [[ $CONFIG == debug ]] || scratch=$REPO_ROOT/.build-bench-release
    build_tool "$CONFIG" "$scratch"
}

# bed_ready: every node's engine answers and has both images.
bed_ready() {
    local i
    for i in 1 2 3; do node_docker "$i" image inspect "$FROM_IMAGE" "$TO_IMAGE" >/dev/null 2>&1 || return 1; done
}

# wait_for_bed: waits up to 120 s for bed_ready (other engineers' tests stop a node's engine for a while).
wait_for_bed() {
    local start=$SECONDS
    until bed_ready; do
        ((SECONDS - start < 120)) || die "$FROM_IMAGE or $TO_IMAGE is not on every node of the bed," \
            "or a node's engine is down: run scripts/nodes-up.sh 3"
        sleep 2
    done
}

# port_free_on I PORT: nothing listens on PORT in node I's namespace.
port_free_on() {
    [[ -z $(nsenter --net="/run/netns/$(node_name "$1")" ss -Hltn "sport = :$2" 2>/dev/null) ]]
}

# Per variant: its deploy-nodes.sh output (key=value) in $RESULTS/KEY.deploy.
dep() { sed -n "s/^$2=//p" "$RESULTS/$1.deploy" | head -n 1; }
node_count() { dep "$1" nodes; }
node_args() {
    local key=$1 flag=$2 i
    for ((i = 1; i <= $(node_count "$key"); i++)); do
        printf '%s\n%s=%s\n' "$flag" "$(dep "$key" "node_${i}_ip")" "$(dep "$key" "node_${i}_endpoint")"
    done
}

# deploy KEY LAYOUT PORT: deploys variant KEY (old container mnb_KEY_322, databases mnb_KEY_*);
# a second time when the first attempt fails (the bed is shared: other tests stop node engines).
deploy() {
    local key=$1 layout=$2 port=$3 attempt f
    for attempt in 1 2; do
        wait_for_bed
        log "$key: deploying $layout (${HEARTBEAT_ROWS} heartbeat rows per region, ${PROJECT_ROWS} projects," \
            "port $port)"
        "$REPO_ROOT/scripts/deploy-nodes.sh" --layout "$layout" --replace --name "mnb_${key}_322" --dir "$WORK/$key" \
            --db-prefix "mnb_${key}_" --port "$port" --heartbeat-rows "$HEARTBEAT_ROWS" \
            --project-rows "$PROJECT_ROWS" --timeout "$WAIT_TIMEOUT" \
            >"$RESULTS/$key.deploy" 2>"$LOGS/deploy-$key.err" &&
            break
        grep -v '^20[0-9][0-9]-' "$LOGS/deploy-$key.err" | sed 's/^/    | /' >&2
        for f in "$WORK/$key"/*/oms_logs/oms_fixture.log; do
            [[ -e $f ]] || continue
            log "last lines of $f:"
            tail -n 5 "$f" | sed 's/^/    | /' >&2
        done
        ((attempt == 1)) || die "deploy-nodes.sh $key failed twice"
        note "deploy-nodes.sh $key failed once; deployed again"
    done
    result "${key}_layout" "$layout"
    result "${key}_port" "$port"
    record_sizes "$key"
}

record_sizes() {
    local key=$1 hb=0 db
    result "${key}_rm_rows" "$(exact_rows "mnb_${key}_rm")"
    result "${key}_cm_rows" "$(exact_rows "mnb_${key}_cm")"
    while IFS= read -r db; do
        hb=$((hb + $(sql -e "SELECT COUNT(*) FROM $(sql_ident "$db").heatbeat_sequence")))
    done < <(sed -n 's/^region_[0-9]*_cm_hb_db=//p' "$RESULTS/$key.deploy")
    result "${key}_hb_rows" "$hb"
    result "${key}_rmcm_bytes" $(($(bytes "mnb_${key}_rm") + $(bytes "mnb_${key}_cm")))
}

# start_pollers KEY PHASE: one /oms/health poller per node of KEY, into $RESULTS/KEY-PHASE.health.I;
# returns once every poller has written its first state.
start_pollers() {
    local key=$1 phase=$2 i t port file
    port=$(dep "$key" port)
    for ((i = 1; i <= $(node_count "$key"); i++)); do
        file=$RESULTS/$key-$phase.health.$i
        poll_health "http://$(dep "$key" "node_${i}_ip"):$port/oms/health" "$file" &
        POLL_PIDS+=($!)
    done
    for ((i = 1; i <= $(node_count "$key"); i++)); do
        file=$RESULTS/$key-$phase.health.$i
        for ((t = 0; t < 50; t++)); do [[ -s $file ]] && break; sleep 0.2; done
        [[ -s $file ]] || die "the health poller of $key node $i did not start"
    done
}

# stop_pollers [KEY PHASE]: stops the pollers, after letting them see every node up again (for up
# to 3 s) when KEY and PHASE are given.
stop_pollers() {
    local key=${1:-} phase=${2:-} i f pid up
    if [[ -n $key ]]; then
        for ((i = 0; i < 15; i++)); do
            up=true
            for f in "$RESULTS/$key-$phase".health.*; do
                [[ $(tail -n 1 "$f" 2>/dev/null) == up* ]] || up=false
            done
            [[ $up == true ]] && break
            sleep 0.2
        done
    fi
    for pid in "${POLL_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    POLL_PIDS=()
}

# measure KEY PHASE COMMAND...: runs COMMAND with the pollers on, after the server settled;
# records KEY_PHASE_rc, _wall and _start. Its output goes to $LOGS/KEY-PHASE.{out,err}.
measure() {
    local key=$1 phase=$2 t0 rc=0
    shift 2
    settle
    start_pollers "$key" "$phase"
    log "$key: $phase"
    t0=$(now)
    result "${key}_${phase}_start" "$t0"
    timeout --signal=INT --kill-after=30 $((WAIT_TIMEOUT * 4 + 1800)) "$@" \
        >"$LOGS/$key-$phase.out" 2>"$LOGS/$key-$phase.err" || rc=$?
    result "${key}_${phase}_wall" "$(elapsed "$t0")"
    result "${key}_${phase}_rc" "$rc"
    stop_pollers "$key" "$phase"
    if ((rc != 0)); then
        show "$LOGS/$key-$phase.err"
        note "$key $phase exited with status $rc"
        if ((rc == 134 || rc == 139)) && [[ $1 == "$TOOL" ]]; then
            note "oms-upgrade crashed (signal $((rc - 128))): its stderr is above"
        fi
    fi
    return 0
}

tool_status() {
    local key=$1 phase=$2
    "$TOOL" status --work-dir "$WORK/$key-work" --json >"$RESULTS/$key-$phase.status.json" \
        2>"$LOGS/$key-$phase.status.err" ||
        { show "$LOGS/$key-$phase.status.err"; note "oms-upgrade status --json failed after $key $phase"; }
}

tool_apply() {
    local key=$1 nodes
    mapfile -t nodes < <(node_args "$key" --node)
    measure "$key" apply "$TOOL" apply --container "mnb_${key}_322" --image "$TO_IMAGE" --name "mnb_${key}_330" \
        --work-dir "$WORK/$key-work" --health-timeout "$WAIT_TIMEOUT" --yes --progress plain "${nodes[@]}"
    tool_status "$key" apply
}

tool_rollback() {
    local key=$1
    measure "$key" rollback "$TOOL" rollback --work-dir "$WORK/$key-work" --yes --progress plain
    tool_status "$key" rollback
}

guide_upgrade() {
    local key=$1 nodes inits=() ips ip
    mapfile -t nodes < <(node_args "$key" --node)
    IFS=, read -r -a ips <<<"$(dep "$key" init_nodes)"
    for ip in "${ips[@]}"; do inits+=(--init-node "$ip"); done
    measure "$key" apply "$BENCH/guide-nodes-upgrade.sh" --container "mnb_${key}_322" --new-name "mnb_${key}_330" \
        --image "$TO_IMAGE" --backup-dir "$WORK/$key-backup" --timings "$RESULTS/$key-apply.timings" \
        --timeout "$WAIT_TIMEOUT" "${nodes[@]}" "${inits[@]}"
}

guide_rollback() {
    local key=$1 nodes
    mapfile -t nodes < <(node_args "$key" --node)
    measure "$key" rollback "$BENCH/guide-nodes-rollback.sh" --container "mnb_${key}_322" \
        --new-name "mnb_${key}_330" --backup-dir "$WORK/$key-backup" --timings "$RESULTS/$key-rollback.timings" \
        --timeout "$WAIT_TIMEOUT" "${nodes[@]}"
}

# done_with KEY: checks that the metadata password appears in nothing the tool or the guide
# scripts printed or wrote for KEY (besides the deployments' config.yaml), then removes KEY's
# deployment unless --keep (so that it does not load the server while the next one is measured).
done_with() {
    local key=$1 hits
    hits=$(grep -rlF -f "$OMS_SANDBOX_MYSQL_PASSWORD_FILE" "$LOGS" "$RESULTS" "$WORK/$key-work" \
        "$WORK/$key-backup" 2>/dev/null || true)
    [[ -z $hits ]] || note "the metadata password appears in: $(echo "$hits" | tr '\n' ' ')"
    [[ $KEEP == true ]] || remove_own "$key"
}

main() {
    local i p port before
    # The bed to ourselves: the tests take the same lock (Tests/SandboxSupport/NodeBedLock.swift),
    # and one of them stops a node's engine, which stops every container on that node.
    # On fd 8: fd 9 holds bench_workdir's lock against a second run of this script.
    exec 8>/run/omsn-bed.lock
    log "waiting for the test bed (flock /run/omsn-bed.lock)"
    flock 8
    if [[ ! -r $NODES_ENV ]] || ! node_recorded 3; then "$REPO_ROOT/scripts/nodes-up.sh" 3 >&2; fi
    wait_for_bed
    load_sandbox_env
    CNF=$(make_defaults_file "$OMS_SANDBOX_MYSQL_HOST" "$OMS_SANDBOX_MYSQL_PORT" "$OMS_SANDBOX_MYSQL_USER" \
        "$OMS_SANDBOX_MYSQL_PASSWORD_FILE")
    sql -e 'SELECT 1' >/dev/null || die "cannot log in to the metadata DB: run scripts/sandbox-up.sh"
    remove_own
    for port in "$MNB_PORT" $((MNB_PORT + 10)) $((MNB_PORT + 20)); do
        for p in $(seq "$port" $((port + 4))); do
            for i in 1 2 3; do
                port_free_on "$i" "$p" || die "port $p is in use on $(node_name "$i"); set MNB_PORT to a free range"
            done
        done
    done
    [[ -n $TOOL ]] || build_own_tool

    result_settings
    result rollback "$ROLLBACK"
    result tool_version "$("$TOOL" --version 2>/dev/null | head -n 1) ($TOOL)"

    deploy tool1 1x1 $((MNB_PORT + 10))
    tool_apply tool1
    done_with tool1

    deploy tool3 1x3 "$MNB_PORT"
    before=$(fingerprint mnb_tool3_)
    tool_apply tool3
    if [[ $ROLLBACK == true ]]; then
        tool_rollback tool3
        result tool3_restored "$([[ $(fingerprint mnb_tool3_) == "$before" ]] && echo yes || echo no)"
    fi
    done_with tool3

    deploy guide3 1x3 $((MNB_PORT + 20))
    before=$(fingerprint mnb_guide3_)
    guide_upgrade guide3
    if [[ $ROLLBACK == true ]]; then
        guide_rollback guide3
        result guide3_restored "$([[ $(fingerprint mnb_guide3_) == "$before" ]] && echo yes || echo no)"
    fi
    done_with guide3
    print_report
}

main
