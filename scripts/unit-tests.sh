#!/usr/bin/env bash
# Runs the unit tests only: every test not tagged `.mariadb` or `.docker`
# (Tests/SandboxSupport/SandboxTags.swift). Needs no MariaDB and no dockerd; takes seconds once built.
#
# Usage: scripts/unit-tests.sh [--check] [swift test options...]
#   --check  prove the selection needs no sandbox: run it with the sandbox's MariaDB pointed at a
#            dead port (OMS_SANDBOX_DIR) and docker at a missing socket (DOCKER_HOST), without
#            stopping the shared services.
#
# This toolchain's `swift test` selects by test ID only (--filter/--skip take regular
# expressions, no tag syntax), so the IDs of the tagged suites and tests are read from the sources
# (scripts/sandbox-test-ids.awk) and skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

check=false
if [[ ${1:-} == --check ]]; then
    check=true
    shift
fi

mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- 'Tests/*.swift')
mapfile -t ids < <(awk -f scripts/sandbox-test-ids.awk "${sources[@]}")
((${#ids[@]})) || { echo "unit-tests.sh: no tagged suites found: is scripts/sandbox-test-ids.awk broken?" >&2; exit 1; }
skip=()
for id in "${ids[@]}"; do
    # Test IDs read Module.Suite/test(...); match the suite or test exactly, not a longer name.
    skip+=(--skip "^${id//./\\.}([/(]|$)")
done
echo "unit-tests.sh: skipping ${#ids[@]} sandbox suites and tests" >&2

swift build --build-tests
if $check; then
    dead=$(mktemp -d)
    trap 'rm -rf "$dead"' EXIT
    chmod 0700 "$dead"
    printf 'dead\n' >"$dead/password"
    cat >"$dead/sandbox.env" <<ENV
OMS_SANDBOX_MYSQL_HOST=127.0.0.1
OMS_SANDBOX_MYSQL_PORT=1
OMS_SANDBOX_MYSQL_USER=nobody
OMS_SANDBOX_MYSQL_PASSWORD_FILE=$dead/password
ENV
    echo "unit-tests.sh: --check: MariaDB at 127.0.0.1:1, DOCKER_HOST=unix://$dead/docker.sock" >&2
    OMS_SANDBOX_DIR=$dead DOCKER_HOST=unix://$dead/docker.sock swift test --skip-build "${skip[@]}" "$@"
else
    swift test --skip-build "${skip[@]}" "$@"
fi
