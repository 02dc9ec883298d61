# shellcheck shell=bash
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034
# Shared names of the multi-node test bed (scripts/nodes-up.sh, nodes-down.sh,
# deploy-nodes.sh). Everything the bed makes carries the prefix `omsn`, lives
# in 10.213.0.0/24 on the bridge omsn0, and is recorded under $NODES_RUN_DIR;
# the scripts only ever address what is recorded there.

NODES_PREFIX=omsn
NODES_BRIDGE=omsn0
NODES_SUBNET_PREFIX=10.213.0
NODES_BRIDGE_IP=$NODES_SUBNET_PREFIX.1
NODES_CIDR=24
NODES_MAX=8
# Sockets, pid files and exec roots (tmpfs; short paths keep unix sockets under 108 bytes).
NODES_RUN_DIR=${OMS_NODES_RUN_DIR:-/run/omsn}
# Data roots of the node engines (image layers, containers).
NODES_DATA_DIR=${OMS_NODES_DATA_DIR:-/var/lib/omsn}
# key=value lines describing the bed, read by tests (Tests/SandboxSupport/NodeBed.swift).
NODES_ENV=$NODES_RUN_DIR/nodes.env
# The metadata forwarder: MariaDB (127.0.0.1) reachable at the bridge address.
NODES_META_PORT=3306
NODES_SOCAT_PID=$NODES_RUN_DIR/socat.pid
# The same for the sandbox's OceanBase kernel (seekdb behind 127.0.0.1:2881), when the sandbox has it.
NODES_OB_META_PORT=2881
NODES_OB_SOCAT_PID=$NODES_RUN_DIR/socat-ob.pid

# node_name I: the namespace name of node I (1-based): omsn1, omsn2, ...
node_name() { printf '%s%d' "$NODES_PREFIX" "$1"; }
# node_ip I: the address of node I: 10.213.0.11, .12, ...
node_ip() { printf '%s.%d' "$NODES_SUBNET_PREFIX" $((10 + $1)); }
node_sock() { printf '%s/%s.sock' "$NODES_RUN_DIR" "$(node_name "$1")"; }
node_endpoint() { printf 'unix://%s' "$(node_sock "$1")"; }
node_pidfile() { printf '%s/%s.pid' "$NODES_RUN_DIR" "$(node_name "$1")"; }
node_exec_root() { printf '%s/%s' "$NODES_RUN_DIR" "$(node_name "$1")"; }
node_data_root() { printf '%s/%s' "$NODES_DATA_DIR" "$(node_name "$1")"; }
node_log() { printf '%s/%s.log' "$NODES_DATA_DIR" "$(node_name "$1")"; }
# node_docker I ARGS...: the docker CLI against node I's engine.
node_docker() {
    local i=$1
    shift
    docker -H "$(node_endpoint "$i")" "$@"
}

# node_recorded I: exit 0 when node I's namespace was made by nodes-up.sh.
node_recorded() { [[ -e $NODES_RUN_DIR/$(node_name "$1").made ]]; }

# recorded_nodes: prints the indexes of the nodes nodes-up.sh made.
recorded_nodes() {
    local f n
    for f in "$NODES_RUN_DIR"/"$NODES_PREFIX"*.made; do
        [[ -e $f ]] || continue
        n=${f##*/"$NODES_PREFIX"}
        n=${n%.made}
        [[ $n =~ ^[0-9]+$ ]] && printf '%s\n' "$n"
    done | sort -n
}

# close_inherited_fds: closes every file descriptor above 2 in the current
# (sub)shell. Daemons started by the bed must not keep their caller's
# descriptors open: Foundation's Process, for one, learns that a child exited
# when a socket the child inherited is closed, so a daemon holding it would
# make the caller (a test running nodes-up.sh) wait forever.
close_inherited_fds() {
    local fd n
    for fd in /proc/self/fd/*; do
        n=${fd##*/}
        [[ $n =~ ^[0-9]+$ ]] && ((n > 2)) && eval "exec $n>&-" 2>/dev/null
    done
    return 0
}
