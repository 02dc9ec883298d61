#!/usr/bin/env bash
# Runs the whole test suite on this machine: lints first (scripts/lint.sh runs swift format and
# ShellCheck; any finding fails the run), sets up the sandbox (MariaDB, dockerd, fixture images)
# when needed, builds, then runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/sandbox-up.sh
scripts/lint.sh
swift build --build-tests
swift test --skip-build "$@"
