# shellcheck shell=bash
# The nodes of the guide's multi-node procedure (sourced after
# ../upgrade/guide-lib.sh by guide-nodes-upgrade.sh and guide-nodes-rollback.sh).
# shellcheck disable=SC2034 # variables set here are read by the sourcing script

NODE_IPS=() NODE_EPS=() NODE_PORTS=() NODE_CONFIG=() NODE_LOGS=() NODE_STORE=() NODE_RUN=()
HB_DBS=()

# add_node IP=ENDPOINT: appends a node (ENDPOINT is what DOCKER_HOST takes).
add_node() {
    [[ $1 =~ ^([^=]+)=(.+)$ ]] || die "--node: give IP=ENDPOINT, not '$1'"
    NODE_IPS+=("${BASH_REMATCH[1]}")
    NODE_EPS+=("${BASH_REMATCH[2]}")
}

# node_index IP: the index of the node with that IP.
node_index() {
    local i
    for i in "${!NODE_IPS[@]}"; do
        [[ ${NODE_IPS[i]} == "$1" ]] && { echo "$i"; return 0; }
    done
    return 1
}

# on_node I COMMAND...: COMMAND (a function or a program) against node I's engine and console.
on_node() {
    local i=$1
    shift
    DOCKER_HOST=${NODE_EPS[i]} CONSOLE_HOST=${NODE_IPS[i]} NGINX_PORT=${NODE_PORTS[i]:-8089} "$@"
}

# read_nodes NAME: every node's mounts of container NAME and its config.yaml; sets the NODE_*
# arrays, RM_DB, CM_DB, HB_DBS (every region's heartbeat database, once each) and the
# defaults file $CNF (the metadata account is the same on every node).
read_nodes() {
    local name=$1 i db seen
    for i in "${!NODE_IPS[@]}"; do
        on_node "$i" container_mounts "$name"
        [[ -z $SSL_CRT_SRC ]] || die "node ${NODE_IPS[i]}: an HTTPS console is not supported by this script"
        read_config "$CONFIG_SRC"
        NODE_CONFIG[i]=$CONFIG_SRC NODE_LOGS[i]=$LOGS_SRC NODE_STORE[i]=$STORE_SRC NODE_RUN[i]=$RUN_SRC
        NODE_PORTS[i]=$NGINX_PORT
        seen=false
        for db in "${HB_DBS[@]}"; do [[ $db == "$CM_HB_DB" ]] && seen=true; done
        [[ $seen == true ]] || HB_DBS+=("$CM_HB_DB")
    done
}
