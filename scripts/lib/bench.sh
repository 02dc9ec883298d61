# shellcheck shell=bash
# Helpers shared by the downtime benchmarks (bench-upgrade.sh, bench-multinode.sh;
# sourced after common.sh). The caller defines sql (the sandbox's admin client) and note.

# now / elapsed START: wall clock in seconds.nanoseconds, seconds since START.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# settle: waits (up to 60 s) until InnoDB has purged the previous phase's
# deletes, so that one side does not pay for the other's background work.
settle() {
    local start=$SECONDS len
    while ((SECONDS - start < 60)); do
        len=$(sql -e "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME='trx_rseg_history_len'" 2>/dev/null || echo 0)
        ((${len:-0} < 1000)) && return 0
        sleep 1
    done
    note "InnoDB purge still had ${len} undo records after 60 s"
}

# poll_health URL FILE: appends "up|down epoch" to FILE on every change of the
# console's health at URL (…/oms/health), looking every 0.2 s; runs until killed
# (start it in the background).
poll_health() {
    local url=$1 file=$2 state='' s
    while :; do
        if curl -fsS --max-time 1 "$url" 2>/dev/null | grep -q '"healthy":true'; then
            s=up
        else
            s=down
        fi
        if [[ $s != "$state" ]]; then
            printf '%s %s\n' "$s" "$(now)" >>"$file"
            state=$s
        fi
        sleep 0.2
    done
}
