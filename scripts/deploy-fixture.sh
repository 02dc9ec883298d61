#!/usr/bin/env bash
# Stands up an OMS 3.2.2-CE fixture deployment the way the vendor guide does:
# host dir with config.yaml + oms_logs/oms_store/oms_run, `docker run` with
# the guide's flags (minus --privileged, which this host refuses),
# `docker exec <name> bash /root/docker_init.sh`, realistic seed rows, then
# waits until /oms/health says healthy.
#
# Usage: scripts/deploy-fixture.sh [options]
#   --name NAME              container name (default oms_322)
#   --dir DIR                host dir (default /var/lib/oms-fixture/NAME)
#   --db-prefix P            databases Prm, Pcm, Pcm_hb (default oms_)
#   --port N                 nginx_server_port (default 8089); the other ports
#                            follow it (8089: the field's 8088/8090/9000/2023,
#                            otherwise cm N+1, ghana N+2, supervisor N+3, sshd N+4)
#   --image IMAGE            default oms-fixture:3.2.2
#   --heartbeat-rows N       rows seeded into heatbeat_sequence (default 100000)
#   --project-rows N         rows in rm.oms_project (default 1000; related
#                            rm/cm tables get rows in proportion)
#   --meta-host H --meta-port N
#                            metadata DB (default: the sandbox's)
#   --meta-user U --meta-password-file F
#                            metadata DB account (default: the sandbox admin)
#   --ssl-cert F --ssl-key F mounted to /etc/pki/nginx/oms_server.{crt,key}
#   --timeout S              health wait (default 60)
#   --no-init                only write the config and start the container
#                            (no docker_init.sh, no seed rows, no health wait)
#   --env-file FILE          docker run --env-file FILE: extra variables (NAME=VALUE lines), values off argv
#   --replace                remove an existing container NAME, drop the three
#                            databases and the fixture dir first
# Prints key=value lines on stdout: container, dir, config, rm_db, cm_db,
# cm_hb_db, port, image; progress goes to stderr.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/deploy.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/deploy.sh"

NAME=oms_322
DIR=
DB_PREFIX=oms_
PORT=8089
IMAGE=${OMS_FIXTURE_REPO:-oms-fixture}:3.2.2
HEARTBEAT_ROWS=100000
PROJECT_ROWS=1000
META_HOST=
META_PORT=
META_USER=
META_PASSWORD_FILE=
SSL_CERT=
SSL_KEY=
TIMEOUT=60
REPLACE=false
NO_INIT=false

while (($#)); do
    case $1 in
        --name) need "$@"; NAME=$2; shift ;;
        --dir) need "$@"; DIR=$2; shift ;;
        --db-prefix) need "$@"; DB_PREFIX=$2; shift ;;
        --port) need "$@"; PORT=$2; shift ;;
        --image) need "$@"; IMAGE=$2; shift ;;
        --heartbeat-rows) need "$@"; HEARTBEAT_ROWS=$2; shift ;;
        --project-rows) need "$@"; PROJECT_ROWS=$2; shift ;;
        --meta-host) need "$@"; META_HOST=$2; shift ;;
        --meta-port) need "$@"; META_PORT=$2; shift ;;
        --meta-user) need "$@"; META_USER=$2; shift ;;
        --meta-password-file) need "$@"; META_PASSWORD_FILE=$2; shift ;;
        --ssl-cert) need "$@"; SSL_CERT=$2; shift ;;
        --ssl-key) need "$@"; SSL_KEY=$2; shift ;;
        --timeout) need "$@"; TIMEOUT=$2; shift ;;
        --replace) REPLACE=true ;;
        --no-init) NO_INIT=true ;;
        --env-file) need "$@"; ENV_FILE=$2; shift ;;
        -h | --help) sed -n '2,31p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done

check_deploy_options
if [[ -n $SSL_CERT || -n $SSL_KEY ]]; then
    [[ -r $SSL_CERT && -r $SSL_KEY ]] || die "--ssl-cert and --ssl-key must both name readable files"
    SSL_CERT=$(realpath "$SSL_CERT")
    SSL_KEY=$(realpath "$SSL_KEY")
fi
DIR=${DIR:-/var/lib/oms-fixture/$NAME}
DIR=$(realpath -m "$DIR")
RM_DB=${DB_PREFIX}rm
CM_DB=${DB_PREFIX}cm
CM_HB_DB=${DB_PREFIX}cm_hb
CONFIG=$DIR/config.yaml
MARKER=$DIR/.oms-fixture

set_oms_ports

# Metadata DB account: the sandbox admin unless given.
if [[ -z $META_USER || -z $META_PASSWORD_FILE || -z $META_HOST || -z $META_PORT ]]; then
    load_sandbox_env
fi
META_HOST=${META_HOST:-$OMS_SANDBOX_MYSQL_HOST}
META_PORT=${META_PORT:-$OMS_SANDBOX_MYSQL_PORT}
if [[ -z $META_USER ]]; then
    META_USER=$OMS_SANDBOX_MYSQL_USER
    META_PASSWORD_FILE=${META_PASSWORD_FILE:-$OMS_SANDBOX_MYSQL_PASSWORD_FILE}
fi
[[ -n $META_PASSWORD_FILE ]] || die "--meta-user needs --meta-password-file"
[[ -r $META_PASSWORD_FILE ]] || die "cannot read the password file $META_PASSWORD_FILE"
[[ -s $META_PASSWORD_FILE ]] || die "the password file $META_PASSWORD_FILE is empty"

docker info >/dev/null 2>&1 || die "dockerd does not answer: run scripts/sandbox-up.sh to install and start MariaDB and dockerd"
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE not found: run scripts/sandbox-up.sh (or fixtures/oms-image/build.sh)"

open_meta_db "$META_HOST" "$META_PORT" "$META_USER" "$META_PASSWORD_FILE"
sql -e 'SELECT 1' >/dev/null 2>&1 ||
    die "cannot log in to the metadata DB $META_HOST:$META_PORT as $META_USER (is the sandbox up? run scripts/sandbox-up.sh)"

existing_dbs() {
    sql -e "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ($(sql_str "$RM_DB"), $(sql_str "$CM_DB"), $(sql_str "$CM_HB_DB"))"
}

# remove_previous: --replace removes what a previous run with this name made.
# The fixture dir is deleted only when it carries our marker file.
remove_previous() {
    if docker container inspect "$NAME" >/dev/null 2>&1; then
        log "removing container $NAME"
        docker rm -f "$NAME" >/dev/null
    fi
    log "dropping databases $RM_DB, $CM_DB, $CM_HB_DB"
    sql -e "DROP DATABASE IF EXISTS $(sql_ident "$RM_DB"); DROP DATABASE IF EXISTS $(sql_ident "$CM_DB"); DROP DATABASE IF EXISTS $(sql_ident "$CM_HB_DB");"
    if [[ -e $DIR ]]; then
        [[ -e $MARKER ]] || die "$DIR exists and was not made by deploy-fixture.sh; not deleting it"
        log "removing $DIR"
        rm -rf -- "$DIR"
    fi
}

check_free() {
    local problems=() dbs
    docker container inspect "$NAME" >/dev/null 2>&1 && problems+=("container $NAME exists")
    dbs=$(existing_dbs | tr '\n' ' ')
    [[ -n $dbs ]] && problems+=("databases exist: ${dbs% }")
    [[ -e $CONFIG ]] && problems+=("$CONFIG exists")
    if ((${#problems[@]})); then
        local joined
        joined=$(printf '%s; ' "${problems[@]}")
        die "a fixture deployment named $NAME is already there (${joined%; }); pass --replace to remove it first"
    fi
}

write_config() {
    local pw
    mkdir -p "$DIR"/{oms_logs,oms_store,oms_run}
    chmod 0700 "$DIR"
    : >"$MARKER"
    pw=$(read_secret "$META_PASSWORD_FILE")
    (umask 077 && { cat <<EOF
# OMS Community Edition config (fixture written by scripts/deploy-fixture.sh)
oms_meta_host: $(yaml_quote "$META_HOST")
oms_meta_port: "$META_PORT"
oms_meta_user: $(yaml_quote "$META_USER")
oms_meta_password: $(yaml_quote "$pw")
drc_rm_db: $(yaml_quote "$RM_DB")
drc_cm_db: $(yaml_quote "$CM_DB")
drc_cm_heartbeat_db: $(yaml_quote "$CM_HB_DB")
cm_url: "http://127.0.0.1:$CM_PORT"
cm_location: "0"
cm_region: "cn-hangzhou"
cm_region_cn: "杭州"
cm_is_default: true
cm_nodes: ["127.0.0.1"]
EOF
        oms_config_tail
    } >"$CONFIG")
    chmod 0600 "$CONFIG"
}

start_container() {
    local args=(
        run -dit --net host
        -v "$CONFIG:/home/admin/conf/config.yaml"
        -v "$DIR/oms_logs:/home/admin/logs"
        -v "$DIR/oms_store:/home/ds/store"
        -v "$DIR/oms_run:/home/ds/run"
    )
    if [[ -n $SSL_CERT ]]; then
        args+=(-v "$SSL_CERT:/etc/pki/nginx/oms_server.crt" -v "$SSL_KEY:/etc/pki/nginx/oms_server.key")
    fi
    # Extra variables (e.g. a secret token) from a file, so that no value is on this script's argv.
    if [[ -n ${ENV_FILE:-} ]]; then
        args+=(--env-file "$ENV_FILE")
    fi
    args+=(-e OMS_HOST_IP=127.0.0.1 --pids-limit -1 --ulimit nproc=65535:65535 --name "$NAME" "$IMAGE")
    log "docker ${args[*]}"
    docker "${args[@]}" >/dev/null
}

# seed_rows: bulk rows made server-side (seq_source: MariaDB's Sequence engine or a derived table)
# in chunks, so 10^5..10^7 rows take seconds, not round trips.
seed_rows() {
    local have extra=0 from to chunk=500000
    have=$(sql -e "SELECT COUNT(*) FROM $(sql_ident "$RM_DB").oms_project")
    ((PROJECT_ROWS > have)) && extra=$((PROJECT_ROWS - have))
    if ((extra > 0)); then
        log "seeding $extra projects (and related rm/cm rows)"
        sql "$RM_DB" <<EOF
INSERT INTO oms_project (project_id, name, status, type, owner, source_endpoint_id, sink_endpoint_id,
                         config, rps_limit, delay_seconds, description, gmt_started, gmt_created)
SELECT CONCAT('np_', LPAD(seq, 8, '0')),
       IF(seq % 10 = 0, CONCAT('项目 ', seq, ' 订单迁移'), CONCAT('project ', seq, ' mysql -> ob')),
       ELT(1 + seq % 5, 'RUNNING', 'FINISHED', 'FAILED', 'SUSPEND', 'INIT'),
       ELT(1 + seq % 3, 'MIGRATION', 'SYNC', 'VERIFY'),
       ELT(1 + seq % 3, 'admin', 'alice', 'bob'), 1, 2,
       CONCAT('{"structSync":true,"fullSync":', IF(seq % 2, 'true', 'false'),
              ',"incrSync":true,"tables":["t', seq, '_a","t', seq, '_b"],"note":"it''s \\\\"quoted\\\\" \\\\\\\\ tab\\\\t"}'),
       (seq % 1000) * 12.5 + 0.25,
       IF(seq % 7 = 0, NULL, seq % 60),
       IF(seq % 4 = 0, NULL, CONCAT('desc ', seq, ' #', REPEAT('x', seq % 40))),
       IF(seq % 5 = 4, NULL, NOW(6) - INTERVAL seq MINUTE - INTERVAL seq % 999983 MICROSECOND),
       NOW() - INTERVAL seq HOUR
FROM $(seq_source 1 "$extra");
INSERT INTO oms_sync_project (project_id, name, status, sync_mode, topic, config)
SELECT CONCAT('sp_', LPAD(seq, 8, '0')), CONCAT('sync ', seq), ELT(1 + seq % 3, 'RUNNING', 'INIT', 'FAILED'),
       'INCR', CONCAT('oms_topic_', seq), CONCAT('{"sinkType":"KAFKA","partitions":', 1 + seq % 16, '}')
FROM $(seq_source 1 $(((extra + 3) / 4)));
INSERT INTO oms_data_source (name, db_type, host, port, username, password_cipher, extra)
SELECT CONCAT('ds_', seq), ELT(1 + seq % 2, 'MYSQL', 'OB_MYSQL'), CONCAT('10.1.', seq % 250, '.', 1 + seq % 200),
       3306, CONCAT('user', seq), UNHEX(SHA2(CONCAT('pw', seq), 256)), IF(seq % 3 = 0, NULL, UNHEX(REPEAT('00FF7F80', 1 + seq % 64)))
FROM $(seq_source 1 $(((extra + 9) / 10)));
INSERT INTO oms_alarm_event (project_id, level, content, gmt_occur)
SELECT CONCAT('np_', LPAD(1 + seq % $extra, 8, '0')), ELT(1 + seq % 3, 'INFO', 'WARN', 'ERROR'),
       CONCAT('delay ', seq % 600, 's on store ', seq % 17), NOW(6) - INTERVAL seq SECOND
FROM $(seq_source 1 "$extra");
EOF
        sql "$CM_DB" <<EOF
INSERT INTO task (host_id, task_type, status, params, gmt_created)
SELECT 1, ELT(1 + seq % 3, 'START_STORE', 'STOP_STORE', 'CHECK'), ELT(1 + seq % 2, 'DONE', 'FAILED'),
       CONCAT('{"seq":', seq, '}'), NOW(6) - INTERVAL seq MINUTE
FROM $(seq_source 1 "$extra");
INSERT IGNORE INTO config_job (\`key\`, value)
SELECT CONCAT('cm.store.', seq, '.memory.mb'), 512 * (1 + seq % 8) FROM $(seq_source 1 $(((extra + 19) / 20)));
EOF
    fi
    if ((HEARTBEAT_ROWS > 0)); then
        log "seeding $HEARTBEAT_ROWS heartbeat rows"
        for ((from = 1; from <= HEARTBEAT_ROWS; from += chunk)); do
            to=$((from + chunk - 1))
            ((to > HEARTBEAT_ROWS)) && to=$HEARTBEAT_ROWS
            sql "$CM_HB_DB" <<EOF
INSERT INTO heatbeat_sequence (gmt_created, gmt_modified)
SELECT NOW() - INTERVAL ($HEARTBEAT_ROWS - seq) * 2 SECOND, NOW() - INTERVAL ($HEARTBEAT_ROWS - seq) * 2 SECOND
FROM $(seq_source "$from" "$to");
EOF
        done
    fi
}

healthy() {
    local scheme=http
    [[ -n $SSL_CERT ]] && scheme=https
    curl -ksS --max-time 2 "$scheme://127.0.0.1:$PORT/oms/health" 2>/dev/null | grep -q '"healthy":true'
}

main() {
    local start=$SECONDS
    if [[ $REPLACE == true ]]; then
        remove_previous
    else
        check_free
    fi
    write_config
    start_container
    if [[ $NO_INIT == false ]]; then
        log "docker exec $NAME bash /root/docker_init.sh"
        docker exec "$NAME" bash /root/docker_init.sh >&2 || die "docker_init.sh failed in $NAME (see $DIR/oms_logs)"
        seed_rows
        if ! wait_until "$TIMEOUT" "OMS fixture $NAME (port $PORT)" healthy; then
            die "$NAME is not healthy after ${TIMEOUT}s; see docker logs $NAME and $DIR/oms_logs"
        fi
    fi
    log "deployed $NAME in $((SECONDS - start))s"
    printf 'container=%s\ndir=%s\nconfig=%s\nrm_db=%s\ncm_db=%s\ncm_hb_db=%s\nport=%s\nimage=%s\n' \
        "$NAME" "$DIR" "$CONFIG" "$RM_DB" "$CM_DB" "$CM_HB_DB" "$PORT" "$IMAGE"
}

main
