# shellcheck shell=bash
# Shared parts of deploy-fixture.sh and deploy-nodes.sh (sourced after lib/common.sh): option
# checks, the OMS ports, the metadata DB client and the config.yaml lines both write alike.
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

# need OPTION VALUE...: dies unless OPTION is followed by a non-empty value.
need() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }

# check_deploy_options: NAME, DB_PREFIX, PORT, HEARTBEAT_ROWS, PROJECT_ROWS and TIMEOUT as given.
check_deploy_options() {
    local n
    [[ $NAME =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "--name: invalid container name: $NAME"
    [[ $DB_PREFIX =~ ^[A-Za-z0-9_]*$ ]] || die "--db-prefix: use letters, digits and _ only"
    for n in PORT HEARTBEAT_ROWS PROJECT_ROWS TIMEOUT; do
        [[ ${!n} =~ ^[0-9]+$ ]] || die "--${n,,}: not a number: ${!n}"
    done
    ((PORT > 0 && PORT + 4 <= 65535)) || die "--port out of range"
}

# set_oms_ports: CM_PORT, GHANA_PORT, SUPERVISOR_PORT and SSHD_PORT next to PORT (nginx_server_port):
# the field's 8088/8090/9000/2023 for 8089, otherwise PORT+1 .. PORT+4.
set_oms_ports() {
    if ((PORT == 8089)); then
        CM_PORT=8088 GHANA_PORT=8090 SUPERVISOR_PORT=9000 SSHD_PORT=2023
    else
        CM_PORT=$((PORT + 1)) GHANA_PORT=$((PORT + 2)) SUPERVISOR_PORT=$((PORT + 3)) SSHD_PORT=$((PORT + 4))
    fi
}

# open_meta_db HOST PORT USER PASSWORD_FILE: CNF, a utf8mb4 defaults file for the metadata DB that sql uses.
open_meta_db() {
    CNF=$(make_defaults_file "$@")
    printf 'default-character-set=utf8mb4\n' >>"$CNF"
    SQL_INIT=()
    if [[ $(sql -e 'SELECT VERSION()' 2>/dev/null) == *OceanBase* ]]; then
        META_IS_OCEANBASE=true
        # The OceanBase kernel cuts statements after 10 s (ob_query_timeout) by default; seeding takes longer.
        SQL_INIT=(--init-command='SET SESSION ob_query_timeout = 3600000000, ob_trx_timeout = 3600000000')
    else
        META_IS_OCEANBASE=false
    fi
}

# seq_source FROM TO: a row source with one column `seq` holding FROM..TO: MariaDB's Sequence engine
# (seq_FROM_to_TO), or on a server without it (the OceanBase kernel) a derived table of digits.
seq_source() {
    local from=$1 to=$2 span digits=1 i sql_text
    if [[ ${META_IS_OCEANBASE:-false} != true ]]; then
        printf 'seq_%s_to_%s' "$from" "$to"
        return
    fi
    span=$((to - from + 1))
    while ((10 ** digits < span)); do digits=$((digits + 1)); done
    sql_text="(SELECT $from + d0.n"
    for ((i = 1; i < digits; i++)); do sql_text+=" + $((10 ** i)) * d$i.n"; done
    sql_text+=" AS seq FROM "
    for ((i = 0; i < digits; i++)); do
        ((i > 0)) && sql_text+=" CROSS JOIN "
        sql_text+="(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
        sql_text+=" UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS d$i"
    done
    sql_text+=") AS seq_rows WHERE seq <= $to"
    printf '%s' "$sql_text"
}

# sql ARGS...: the mariadb client on the metadata DB of open_meta_db, batch mode, no column names.
sql() { mariadb --defaults-extra-file="$CNF" "${SQL_INIT[@]}" --batch --skip-column-names "$@"; }

# oms_config_tail: the config.yaml lines after cm_nodes: no TSDB, then the ports of set_oms_ports.
oms_config_tail() {
    cat <<YAML
tsdb_enabled: false
tsdb_service: "INFLUXDB"
tsdb_url: ""
tsdb_username: ""
tsdb_password: ""
nginx_server_port: $PORT
cm_server_port: $CM_PORT
ghana_server_port: $GHANA_PORT
supervisor_server_port: $SUPERVISOR_PORT
sshd_server_port: $SSHD_PORT
YAML
}
