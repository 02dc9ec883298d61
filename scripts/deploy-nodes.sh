#!/usr/bin/env bash
# Stands up a multi-node OMS 3.2.2-CE fixture deployment on the test bed of
# scripts/nodes-up.sh, the way the vendor's multi-node guides do: one
# config.yaml per region (its own drc_cm_heartbeat_db, cm_location, cm_url,
# cm_nodes), the same container name, ports and mount paths on every node,
# each node's container with its own OMS_HOST_IP, docker_init.sh where the
# rule says (one node when cm_nodes is the same in every region, otherwise the
# first node of each region), then health on every node.
#
# Usage: scripts/deploy-nodes.sh --layout LAYOUT [options]
#   --layout RxN          R regions x N nodes each: 2x1 (two regions, one node
#                         each) or 1x3 (one region, three nodes); any R*N <= bed size
#   --name NAME           container name on every node (default oms_322)
#   --dir DIR             base dir; node I uses DIR/omsnI (default /var/lib/oms-nodes/NAME)
#   --db-prefix P         databases Prm, Pcm and Pcm_hb_<cm_location> (default oms_)
#   --port N              nginx_server_port (default 8089; others as deploy-fixture.sh)
#   --image IMAGE         default $OMS_FIXTURE_REPO:3.2.2 (repository default oms-fixture)
#   --heartbeat-rows N    rows seeded into every region's heatbeat_sequence (default 1000)
#   --project-rows N      rows in rm.oms_project (default 100)
#   --timeout S           health wait per node (default 60)
#   --meta-server S       mariadb (default) or oceanbase: the sandbox's MariaDB
#                         (10.213.0.1:3306 from the nodes) or its OceanBase kernel
#                         (seekdb, 10.213.0.1:2881 from the nodes)
#   --replace             remove containers NAME on the bed's nodes, the databases
#                         and DIR first
# Prints key=value lines on stdout (name, dir, rm_db, cm_db, regions, nodes,
# node_I_ip, node_I_endpoint, node_I_config, node_I_region, region_L_cm_hb_db,
# init_nodes); progress goes to stderr.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/deploy.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy.sh"
# shellcheck source-path=SCRIPTDIR source=lib/nodes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/nodes.sh"

LAYOUT=
NAME=oms_322
DIR=
DB_PREFIX=oms_
PORT=8089
IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.2.2
HEARTBEAT_ROWS=1000
PROJECT_ROWS=100
TIMEOUT=60
REPLACE=false
META_SERVER=mariadb
REGION_NAMES=(cn-hangzhou cn-shanghai cn-beijing cn-shenzhen)
REGION_NAMES_CN=(杭州 上海 北京 深圳)

while (($#)); do
    case $1 in
        --layout) need "$@"; LAYOUT=$2; shift ;;
        --name) need "$@"; NAME=$2; shift ;;
        --dir) need "$@"; DIR=$2; shift ;;
        --db-prefix) need "$@"; DB_PREFIX=$2; shift ;;
        --port) need "$@"; PORT=$2; shift ;;
        --image) need "$@"; IMAGE=$2; shift ;;
        --heartbeat-rows) need "$@"; HEARTBEAT_ROWS=$2; shift ;;
        --project-rows) need "$@"; PROJECT_ROWS=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        --meta-server) need "$@"; META_SERVER=$2; shift ;;
        --replace) REPLACE=true ;;
        -h | --help) sed -n '2,26p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done

[[ $LAYOUT =~ ^([1-4])x([1-8])$ ]] || die "--layout: give RxN, e.g. 2x1 or 1x3 (not '${LAYOUT}')"
REGIONS=${BASH_REMATCH[1]}
PER_REGION=${BASH_REMATCH[2]}
NODES=$((REGIONS * PER_REGION))
check_deploy_options
DIR=$(realpath -m "${DIR:-/var/lib/oms-nodes/$NAME}")
RM_DB=${DB_PREFIX}rm
CM_DB=${DB_PREFIX}cm
set_oms_ports

[[ -r $NODES_ENV ]] || die "the multi-node test bed is not up: run scripts/nodes-up.sh $NODES"
for ((i = 1; i <= NODES; i++)); do
    if ! node_recorded "$i" || ! node_docker "$i" info >/dev/null 2>&1; then
        die "node $(node_name "$i") of the test bed is not up: run scripts/nodes-up.sh $NODES"
    fi
    node_docker "$i" image inspect "$IMAGE" >/dev/null 2>&1 ||
        die "image $IMAGE is not on node $(node_name "$i"): run OMS_FIXTURE_REPO=${IMAGE%:*} scripts/nodes-up.sh $NODES"
done
load_sandbox_env
# The metadata server: its address here, the port the nodes reach it on, and its account.
case $META_SERVER in
    mariadb)
        META_HOST=$OMS_SANDBOX_MYSQL_HOST META_PORT=$OMS_SANDBOX_MYSQL_PORT NODE_META_PORT=$NODES_META_PORT
        META_USER=$OMS_SANDBOX_MYSQL_USER META_PASSWORD_FILE=$OMS_SANDBOX_MYSQL_PASSWORD_FILE
        ;;
    oceanbase)
        [[ -n ${OMS_SANDBOX_OB_PORT:-} ]] || die "the sandbox has no OceanBase kernel: run scripts/sandbox-up.sh"
        grep -q '^OMS_NODES_OB_META_PORT=' "$NODES_ENV" ||
            die "the test bed does not forward the OceanBase kernel: run scripts/nodes-up.sh $NODES"
        META_HOST=${OMS_SANDBOX_OB_HOST:?} META_PORT=$OMS_SANDBOX_OB_PORT NODE_META_PORT=$NODES_OB_META_PORT
        META_USER=$OMS_SANDBOX_OB_USER META_PASSWORD_FILE=$OMS_SANDBOX_OB_PASSWORD_FILE
        ;;
    *) die "--meta-server: mariadb or oceanbase, not '${META_SERVER}'" ;;
esac
open_meta_db "$META_HOST" "$META_PORT" "$META_USER" "$META_PASSWORD_FILE"
sql -e 'SELECT 1' >/dev/null || die "cannot log in to the metadata DB: run scripts/sandbox-up.sh"

# Region L (0-based) holds nodes L*PER_REGION+1 .. (L+1)*PER_REGION.
region_of() { echo $((($1 - 1) / PER_REGION)); }
hb_db() { printf '%scm_hb_%d' "$DB_PREFIX" "$1"; }
node_dir() { printf '%s/%s' "$DIR" "$(node_name "$1")"; }
region_nodes_yaml() {
    local l=$1 i out=
    for ((i = l * PER_REGION + 1; i <= (l + 1) * PER_REGION; i++)); do
        out+="${out:+, }\"$(node_ip "$i")\""
    done
    printf '[%s]' "$out"
}
all_dbs() {
    local l
    printf '%s\n%s\n' "$RM_DB" "$CM_DB"
    for ((l = 0; l < REGIONS; l++)); do hb_db "$l"; echo; done
}

remove_previous() {
    local i db
    for ((i = 1; i <= NODES; i++)); do
        if node_docker "$i" container inspect "$NAME" >/dev/null 2>&1; then
            log "removing container $NAME on $(node_name "$i")"
            node_docker "$i" rm -f "$NAME" >/dev/null
        fi
    done
    while read -r db; do
        sql -e "DROP DATABASE IF EXISTS $(sql_ident "$db")"
    done < <(all_dbs)
    if [[ -e $DIR ]]; then
        [[ -e $DIR/.oms-nodes ]] || die "$DIR exists and was not made by deploy-nodes.sh; not deleting it"
        rm -rf -- "$DIR"
    fi
}

check_free() {
    local i db
    for ((i = 1; i <= NODES; i++)); do
        node_docker "$i" container inspect "$NAME" >/dev/null 2>&1 &&
            die "container $NAME exists on $(node_name "$i"); pass --replace to remove it first"
    done
    while read -r db; do
        [[ -n $(sql -e "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = $(sql_str "$db")") ]] &&
            die "database $db exists; pass --replace to remove it first"
    done < <(all_dbs)
    [[ -e $DIR ]] && die "$DIR exists; pass --replace to remove it first"
    return 0
}

write_config() {
    local i=$1 l dir pw default=false region=
    l=$(region_of "$i")
    dir=$(node_dir "$i")
    ((l == 0)) && default=true
    # cm_region is written only when there are several regions (as OBD does).
    ((REGIONS > 1)) && region=${REGION_NAMES[l]}
    mkdir -p "$dir"/{oms_logs,oms_store,oms_run}
    chmod 0700 "$DIR" "$dir"
    pw=$(read_secret "$META_PASSWORD_FILE")
    (umask 077 && { cat <<EOF
# OMS Community Edition config of region $l, node $(node_ip "$i") (written by scripts/deploy-nodes.sh)
oms_meta_host: "$NODES_BRIDGE_IP"
oms_meta_port: "$NODE_META_PORT"
oms_meta_user: $(yaml_quote "$META_USER")
oms_meta_password: $(yaml_quote "$pw")
drc_rm_db: $(yaml_quote "$RM_DB")
drc_cm_db: $(yaml_quote "$CM_DB")
drc_cm_heartbeat_db: $(yaml_quote "$(hb_db "$l")")
cm_url: "http://$(node_ip $((l * PER_REGION + 1))):$CM_PORT"
cm_location: "$l"
cm_region: "$region"
cm_region_cn: "${REGION_NAMES_CN[l]}"
cm_is_default: $default
cm_nodes: $(region_nodes_yaml "$l")
EOF
        oms_config_tail
    } >"$dir/config.yaml")
    chmod 0600 "$dir/config.yaml"
}

start_container() {
    local i=$1 dir
    dir=$(node_dir "$i")
    log "docker run $NAME on $(node_name "$i") (OMS_HOST_IP=$(node_ip "$i"))"
    node_docker "$i" run -dit --net host \
        -v "$dir/config.yaml:/home/admin/conf/config.yaml" \
        -v "$dir/oms_logs:/home/admin/logs" \
        -v "$dir/oms_store:/home/ds/store" \
        -v "$dir/oms_run:/home/ds/run" \
        -e "OMS_HOST_IP=$(node_ip "$i")" --pids-limit -1 --ulimit nproc=65535:65535 \
        --name "$NAME" "$IMAGE" >/dev/null
}

# init_nodes: one node when every region has the same cm_nodes (one region),
# otherwise the first node of each region.
init_nodes() {
    local l
    for ((l = 0; l < REGIONS; l++)); do echo $((l * PER_REGION + 1)); done
}

seed_rows() {
    local l
    if ((PROJECT_ROWS > 2)); then
        sql "$RM_DB" -e "INSERT INTO oms_project (project_id, name, status, type, source_endpoint_id, sink_endpoint_id,
            config, rps_limit) SELECT CONCAT('np_', LPAD(seq, 8, '0')), CONCAT('project ', seq),
            ELT(1 + seq % 3, 'RUNNING', 'FINISHED', 'FAILED'), 'MIGRATION', 1, 2, '{}', seq % 100
            FROM $(seq_source 1 $((PROJECT_ROWS - 2)))"
    fi
    if ((HEARTBEAT_ROWS > 0)); then
        for ((l = 0; l < REGIONS; l++)); do
            sql "$(hb_db "$l")" -e "INSERT INTO heatbeat_sequence (gmt_created, gmt_modified)
                SELECT NOW() - INTERVAL ($HEARTBEAT_ROWS - seq) * 2 SECOND,
                       NOW() - INTERVAL ($HEARTBEAT_ROWS - seq) * 2 SECOND
                FROM $(seq_source 1 "$HEARTBEAT_ROWS")"
        done
    fi
}

healthy() { curl -sS --max-time 2 "http://$(node_ip "$1"):$PORT/oms/health" 2>/dev/null | grep -q '"healthy":true'; }

main() {
    local i l start=$SECONDS inits
    if [[ $REPLACE == true ]]; then remove_previous; else check_free; fi
    mkdir -p "$DIR"
    chmod 0700 "$DIR"
    : >"$DIR/.oms-nodes"
    for ((i = 1; i <= NODES; i++)); do
        write_config "$i"
        start_container "$i"
    done
    inits=$(init_nodes | tr '\n' ' ')
    for i in $inits; do
        log "docker exec $NAME bash /root/docker_init.sh on $(node_name "$i")"
        node_docker "$i" exec "$NAME" bash /root/docker_init.sh >&2 ||
            die "docker_init.sh failed on $(node_name "$i") (see $(node_dir "$i")/oms_logs)"
    done
    seed_rows
    for ((i = 1; i <= NODES; i++)); do
        wait_until "$TIMEOUT" "$NAME on $(node_name "$i") ($(node_ip "$i"):$PORT)" healthy "$i" ||
            die "$NAME on $(node_name "$i") is not healthy after ${TIMEOUT}s; see $(node_dir "$i")/oms_logs"
    done
    log "deployed $LAYOUT as $NAME in $((SECONDS - start))s"
    printf 'name=%s\ndir=%s\nimage=%s\nport=%s\nrm_db=%s\ncm_db=%s\nregions=%s\nnodes=%s\n' \
        "$NAME" "$DIR" "$IMAGE" "$PORT" "$RM_DB" "$CM_DB" "$REGIONS" "$NODES"
    for ((l = 0; l < REGIONS; l++)); do printf 'region_%d_cm_hb_db=%s\n' "$l" "$(hb_db "$l")"; done
    for ((i = 1; i <= NODES; i++)); do
        printf 'node_%d_ip=%s\nnode_%d_endpoint=%s\nnode_%d_config=%s\nnode_%d_region=%s\n' \
            "$i" "$(node_ip "$i")" "$i" "$(node_endpoint "$i")" \
            "$i" "$(node_dir "$i")/config.yaml" "$i" "$(region_of "$i")"
    done
    printf 'init_nodes=%s\n' "$(for i in $inits; do node_ip "$i"; echo; done | paste -sd, -)"
}

main
