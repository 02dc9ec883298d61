#!/usr/bin/env bash
# Removes the multi-node test bed that scripts/nodes-up.sh made: every node's
# dockerd (and the containers it runs), the bind mounts it leaves under its
# exec and data roots, its namespace and veth, the socat forwarders and the
# bridge omsn0. Only what nodes-up.sh recorded under /run/omsn is touched.
# Idempotent: a bed that is already down is left as it is.
#
# Usage: scripts/nodes-down.sh
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/nodes.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/nodes.sh"

case ${1-} in -h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;; "") ;; *) die "unknown argument: $1" ;; esac
((EUID == 0)) || die "the test bed needs root"

# stop_pid FILE SECONDS: TERM the process of a pid file, KILL it after SECONDS.
stop_pid() {
    local file=$1 seconds=$2 pid i
    [[ -r $file ]] || return 0
    pid=$(cat "$file")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < seconds * 5; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f -- "$file"
}

# unmount_under DIR: unmounts every mount point below DIR, deepest first.
unmount_under() {
    local dir=$1 mp
    [[ -n $dir && $dir == /* ]] || return 0
    while read -r mp; do
        umount -l -- "$mp" 2>/dev/null || true
    done < <(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r)
}

remove_node() {
    local i=$1 name
    name=$(node_name "$i")
    log "removing node $name"
    if [[ -S $(node_sock "$i") ]]; then
        # Containers first, so that nothing of theirs is left running when dockerd goes.
        local id
        for id in $(node_docker "$i" ps -aq 2>/dev/null || true); do
            node_docker "$i" rm -f "$id" >/dev/null 2>&1 || true
        done
    fi
    stop_pid "$(node_pidfile "$i")" 30
    # The managed containerd of that dockerd, if it outlived it.
    stop_pid "$(node_exec_root "$i")/containerd/containerd.pid" 10
    unmount_under "$(node_exec_root "$i")"
    unmount_under "$(node_data_root "$i")"
    rm -rf -- "$(node_exec_root "$i")" "$(node_data_root "$i")" "$(node_sock "$i")" "$(node_log "$i")"
    ip link del "${name}h" 2>/dev/null || true
    [[ -e /run/netns/$name ]] && ip netns del "$name"
    rm -f -- "$NODES_RUN_DIR/$name.made"
}

main() {
    local i
    [[ -d $NODES_RUN_DIR ]] || { log "no bed recorded in $NODES_RUN_DIR; nothing to do"; return 0; }
    for i in $(recorded_nodes); do
        remove_node "$i"
    done
    stop_pid "$NODES_SOCAT_PID" 5
    stop_pid "$NODES_OB_SOCAT_PID" 5
    if [[ -e $NODES_RUN_DIR/bridge.made ]]; then
        ip link del "$NODES_BRIDGE" 2>/dev/null || true
        rm -f -- "$NODES_RUN_DIR/bridge.made"
    fi
    rm -f -- "$NODES_ENV"
    rmdir -- "$NODES_RUN_DIR" 2>/dev/null || true
    log "bed down"
}

main
