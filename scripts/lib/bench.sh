# shellcheck shell=bash
# Helpers shared by the downtime benchmarks (bench-upgrade.sh, bench-multinode.sh;
# sourced after common.sh). The caller defines sql (the sandbox's admin client),
# remove_own (what the benchmark made), and the settings KEEP, QUICK, FROM_IMAGE,
# TO_IMAGE, HEARTBEAT_ROWS, PROJECT_ROWS, WAIT_TIMEOUT, BENCH and JSON_OUT.
# Variables set here (WORK, RESULTS, LOGS, TOOL, NOTES) are used by the caller.
# shellcheck disable=SC2034

# bench_workdir NAME: holds the lock of benchmark NAME (one run at a time: the
# names, ports and cleanup are fixed; on fd 9) and makes its private work
# directory WORK (/var/tmp/oms-NAME.*), with RESULTS and LOGS in it.
bench_workdir() {
    local name=$1
    exec 9>"/run/lock/oms-$name.lock"
    flock -n 9 || die "another $name.sh is running"
    umask 077
    WORK=$(mktemp -d "/var/tmp/oms-$name.XXXXXX")
    chmod 0700 "$WORK"
    RESULTS=$WORK/results
    LOGS=$WORK/logs
    mkdir -p "$RESULTS" "$LOGS"
}

# result KEY VALUE: one line of results.env, which the report reads.
result() { printf '%s=%s\n' "$1" "$2" >>"$RESULTS/results.env"; }

# note TEXT: logged now, and listed in the report.
NOTES=()
note() {
    log "note: $*"
    NOTES+=("$*")
}

# show FILE: a captured output on stderr, indented.
show() { sed 's/^/    | /' "$1" >&2; }

# remove_unless_kept: with --keep, says what was left; else removes what the
# benchmark made (remove_own) and WORK.
remove_unless_kept() {
    if [[ $KEEP == true ]]; then
        log "--keep: left the deployments and $WORK in place"
    else
        log "cleaning up"
        remove_own
        rm -rf -- "$WORK"
    fi
}

# build_tool CONFIG SCRATCH: builds oms-upgrade (swift build -c CONFIG in
# SCRATCH) and sets TOOL to the binary.
build_tool() {
    local config=$1 scratch=$2 attempt
    log "building oms-upgrade ($config)"
    # Others edit Sources while we build; swiftc then aborts with "was
    # modified during the build", and a second try goes through.
    for attempt in 1 2 3; do
        if swift build -c "$config" --scratch-path "$scratch" --product oms-upgrade >"$LOGS/build.log" 2>&1; then
            TOOL=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/oms-upgrade
            [[ -x $TOOL ]] || die "no binary at $TOOL"
            return 0
        fi
        grep -q 'modified during the build' "$LOGS/build.log" || break
        log "sources changed during the build; retrying ($attempt)"
    done
    tail -20 "$LOGS/build.log" >&2
    die "swift build failed"
}

# result_settings: the run's settings and the host, into results.env.
result_settings() {
    result mode "$([[ $QUICK == true ]] && echo quick || echo full-size)"
    result date "$(date -u '+%Y-%m-%d %H:%M UTC')"
    result from_image "$FROM_IMAGE"
    result to_image "$TO_IMAGE"
    result heartbeat_rows_arg "$HEARTBEAT_ROWS"
    result project_rows_arg "$PROJECT_ROWS"
    result wait_timeout "$WAIT_TIMEOUT"
    result host "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
}

# print_report: the notes into results.env, then BENCH's report.py prints the table
# (and writes JSON_OUT when set).
print_report() {
    result notes "$(IFS='|'; echo "${NOTES[*]}")"
    echo
    python3 "$BENCH/report.py" --dir "$RESULTS" ${JSON_OUT:+--json "$JSON_OUT"}
}

# now / elapsed START: wall clock in seconds.nanoseconds, seconds since START.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# settle: waits (up to 60 s) until InnoDB has purged the previous phase's
# deletes, so that one side does not pay for the other's background work.
settle() {
    local start=$SECONDS len
    while ((SECONDS - start < 60)); do
        len=$(sql -e "SELECT COUNT FROM information_schema.INNODB_METRICS
            WHERE NAME='trx_rseg_history_len'" 2>/dev/null || echo 0)
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

# tables DB: the base tables of DB.
tables() {
    sql -e "SELECT TABLE_NAME FROM information_schema.TABLES
        WHERE TABLE_SCHEMA=$(sql_str "$1") AND TABLE_TYPE='BASE TABLE' ORDER BY TABLE_NAME"
}

# exact_rows DB: COUNT(*) summed over DB's base tables.
exact_rows() {
    local db=$1 t q=
    for t in $(tables "$db"); do
        q+="${q:+ + }(SELECT COUNT(*) FROM $(sql_ident "$db").$(sql_ident "$t"))"
    done
    sql -e "SELECT ${q:-0}"
}

# bytes DB: data + index bytes from information_schema (after ANALYZE TABLE).
bytes() {
    local db=$1 t list=()
    for t in $(tables "$db"); do list+=("$(sql_ident "$db").$(sql_ident "$t")"); done
    ((${#list[@]})) && sql -e "ANALYZE TABLE $(IFS=,; echo "${list[*]}")" >/dev/null
    sql -e "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES
        WHERE TABLE_SCHEMA=$(sql_str "$db")"
}

# fingerprint PREFIX: a hash of the rm and cm rows, leaving out the rows of the
# fixture's continuous writer (it keeps writing after a rollback); cm_hb is left out.
fingerprint() {
    local db t cols where
    for db in "${1}rm" "${1}cm"; do
        for t in $(tables "$db"); do
            case $t in
                oms_alarm_event) where="project_id <> 'fixture_writer'" ;;
                task) where="task_type <> 'fixture_writer'" ;;
                config_job) where="\`key\` <> 'fixture.writer.last_seq'" ;;
                *) where=1 ;;
            esac
            cols=$(sql -e "SELECT GROUP_CONCAT(
                    CONCAT('COALESCE(HEX(\`', REPLACE(COLUMN_NAME, '\`', '\`\`'), '\`), ''N'')')
                ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS
                WHERE TABLE_SCHEMA=$(sql_str "$db") AND TABLE_NAME=$(sql_str "$t")")
            printf '%s ' "$t"
            sql -e "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('#', $cols))), 0)
                FROM $(sql_ident "$db").$(sql_ident "$t") WHERE $where"
        done
    done | sha256sum | cut -d' ' -f1
}
