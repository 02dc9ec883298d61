#!/usr/bin/env bash
# Brings up the multi-node test bed: N simulated OMS hosts on this machine.
# Idempotent: what already runs is kept, what is missing is made.
#
# Usage: scripts/nodes-up.sh [N]      (N nodes, default 3, at most 8)
#
# Each node I is a network namespace omsnI with the address 10.213.0.(10+I)/24
# on a veth attached to the bridge omsn0 (10.213.0.1), and its own dockerd
# (socket /run/omsn/omsnI.sock, data root /var/lib/omsn/omsnI, started with
# `nsenter --net=/run/netns/omsnI`, so `--net host` containers bind the node's
# own address). The fixture images $OMS_FIXTURE_REPO:3.2.2 and :3.3.0 (default
# repository oms-fixture) are loaded into every node's engine. The metadata
# MariaDB (127.0.0.1:3306 of the sandbox) is reachable from the nodes at
# 10.213.0.1:3306 through a socat forwarder, and the sandbox's OceanBase kernel
# (seekdb, 127.0.0.1:2881) at 10.213.0.1:2881 when the sandbox has it.
# /run/omsn/nodes.env describes the bed (key=value). scripts/nodes-down.sh
# removes it all.
#
# Only names with the prefix omsn and addresses the bed made are touched.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/nodes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/nodes.sh"

COUNT=${1:-3}
case $COUNT in -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;; esac
if ! [[ $COUNT =~ ^[0-9]+$ ]] || ((COUNT < 1 || COUNT > NODES_MAX)); then
    die "N must be 1..$NODES_MAX, not $COUNT"
fi
REPO=${OMS_FIXTURE_REPO:-oms-fixture}

((EUID == 0)) || die "the test bed needs root (network namespaces, dockerd)"
for tool in ip nsenter dockerd docker socat; do
    command -v "$tool" >/dev/null ||
        die "$tool not found: run scripts/sandbox-up.sh (it installs iproute2, socat, docker.io)"
done
docker info >/dev/null 2>&1 ||
    die "dockerd does not answer: run scripts/sandbox-up.sh to install and start MariaDB and dockerd"
load_sandbox_env

mkdir -p "$NODES_RUN_DIR" "$NODES_DATA_DIR"
chmod 0700 "$NODES_RUN_DIR" "$NODES_DATA_DIR"

# make_bridge: omsn0 with 10.213.0.1/24, made once and recorded.
make_bridge() {
    if ip link show "$NODES_BRIDGE" >/dev/null 2>&1; then
        [[ -e $NODES_RUN_DIR/bridge.made ]] ||
            die "a link named $NODES_BRIDGE exists that this script did not make; remove it or use another machine"
    else
        log "creating bridge $NODES_BRIDGE ($NODES_BRIDGE_IP/$NODES_CIDR)"
        ip link add "$NODES_BRIDGE" type bridge
        : >"$NODES_RUN_DIR/bridge.made"
    fi
    ip addr replace "$NODES_BRIDGE_IP/$NODES_CIDR" dev "$NODES_BRIDGE"
    ip link set "$NODES_BRIDGE" up
}

# make_namespace I: namespace omsnI, veth omsnIh (bridge side) <-> eth0 (node side).
make_namespace() {
    local i=$1 name host_if peer_if
    name=$(node_name "$i")
    host_if=${name}h
    peer_if=${name}c
    if [[ -e /run/netns/$name ]]; then
        node_recorded "$i" || die "network namespace $name exists but was not made by this script; not touching it"
    else
        log "creating network namespace $name ($(node_ip "$i"))"
        ip netns add "$name"
        : >"$NODES_RUN_DIR/$name.made"
    fi
    if ! ip link show "$host_if" >/dev/null 2>&1; then
        ip link add "$host_if" type veth peer name "$peer_if"
        ip link set "$peer_if" netns "$name"
        ip -n "$name" link set "$peer_if" name eth0
    fi
    ip link set "$host_if" master "$NODES_BRIDGE"
    ip link set "$host_if" up
    ip -n "$name" link set lo up
    ip -n "$name" addr replace "$(node_ip "$i")/$NODES_CIDR" dev eth0
    ip -n "$name" link set eth0 up
    ip -n "$name" route replace default via "$NODES_BRIDGE_IP" dev eth0
}

pid_alive() { [[ -r $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_forwarder PIDFILE PORT HOST HOST_PORT: socat on 10.213.0.1:PORT -> HOST:HOST_PORT.
start_forwarder() {
    local pidfile=$1 port=$2 host=$3 host_port=$4
    if pid_alive "$pidfile"; then
        return 0
    fi
    log "forwarding $NODES_BRIDGE_IP:$port to $host:$host_port (socat)"
    (
        close_inherited_fds
        exec setsid socat "TCP-LISTEN:$port,bind=$NODES_BRIDGE_IP,reuseaddr,fork" \
            "TCP:$host:$host_port" </dev/null >/dev/null 2>&1
    ) &
    echo $! >"$pidfile"
}

engine_up() { docker -H "$(node_endpoint "$1")" info >/dev/null 2>&1; }

# start_engine I: node I's dockerd inside its namespace (its own managed containerd follows it there).
start_engine() {
    local i=$1 name
    name=$(node_name "$i")
    engine_up "$i" && return 0
    if pid_alive "$(node_pidfile "$i")"; then
        wait_until 60 "dockerd of $name" engine_up "$i" ||
            die "dockerd of $name runs but does not answer (see $(node_log "$i"))"
        return 0
    fi
    mkdir -p "$(node_exec_root "$i")" "$(node_data_root "$i")"
    log "starting dockerd of $name on $(node_endpoint "$i")"
    (
        close_inherited_fds
        exec setsid nsenter --net="/run/netns/$name" dockerd \
            -H "$(node_endpoint "$i")" \
            --data-root "$(node_data_root "$i")" \
            --exec-root "$(node_exec_root "$i")" \
            --pidfile "$(node_pidfile "$i")" \
            --iptables=false --ip-masq=false --ip-forward=false --bridge=none \
            </dev/null >>"$(node_log "$i")" 2>&1
    ) &
    wait_until 90 "dockerd of $name" engine_up "$i" || die "dockerd of $name did not come up (see $(node_log "$i"))"
}

# load_images I: the fixture images into node I's engine unless it has the same image id.
load_images() {
    local i=$1 image want have
    for image in "$REPO:3.2.2" "$REPO:3.3.0"; do
        want=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) ||
            die "image $image not found: build it with OMS_FIXTURE_REPO=$REPO fixtures/oms-image/build.sh"
        have=$(node_docker "$i" image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
        [[ $have == "$want" ]] && continue
        log "loading $image into $(node_name "$i")"
        docker save "$image" | node_docker "$i" load >/dev/null
    done
}

write_env() {
    local i tmp
    tmp=$(mktemp "$NODES_RUN_DIR/.nodes.env.XXXXXX")
    {
        printf 'OMS_NODES_COUNT=%s\n' "$COUNT"
        printf 'OMS_NODES_BRIDGE_IP=%s\n' "$NODES_BRIDGE_IP"
        printf 'OMS_NODES_META_HOST=%s\n' "$NODES_BRIDGE_IP"
        printf 'OMS_NODES_META_PORT=%s\n' "$NODES_META_PORT"
        if [[ -n ${OMS_SANDBOX_OB_PORT:-} ]]; then
            printf 'OMS_NODES_OB_META_PORT=%s\n' "$NODES_OB_META_PORT"
        fi
        printf 'OMS_NODES_IMAGE_REPO=%s\n' "$REPO"
        for ((i = 1; i <= COUNT; i++)); do
            printf 'OMS_NODE_%d_NAME=%s\n' "$i" "$(node_name "$i")"
            printf 'OMS_NODE_%d_IP=%s\n' "$i" "$(node_ip "$i")"
            printf 'OMS_NODE_%d_ENDPOINT=%s\n' "$i" "$(node_endpoint "$i")"
        done
    } >"$tmp"
    chmod 0600 "$tmp"
    mv -f "$tmp" "$NODES_ENV"
}

main() {
    local i
    # Nodes made earlier beyond N are kept up too, so nodes.env lists every node of the bed.
    for i in $(recorded_nodes); do
        ((i > COUNT && i <= NODES_MAX)) && COUNT=$i
    done
    make_bridge
    start_forwarder "$NODES_SOCAT_PID" "$NODES_META_PORT" "$OMS_SANDBOX_MYSQL_HOST" "$OMS_SANDBOX_MYSQL_PORT"
    if [[ -n ${OMS_SANDBOX_OB_PORT:-} ]]; then
        start_forwarder "$NODES_OB_SOCAT_PID" "$NODES_OB_META_PORT" "${OMS_SANDBOX_OB_HOST:?}" "$OMS_SANDBOX_OB_PORT"
    fi
    for ((i = 1; i <= COUNT; i++)); do
        make_namespace "$i"
        start_engine "$i"
        load_images "$i"
    done
    write_env
    log "bed up: $COUNT node(s); $NODES_ENV"
    cat "$NODES_ENV"
}

main
