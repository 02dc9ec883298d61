#!/usr/bin/env bash
# Runs the whole test suite on this machine: lints first (scripts/lint.sh runs swift format and
# ShellCheck; any finding fails the run), sets up the sandbox (MariaDB, dockerd, fixture images)
# when needed, builds (a warning in the project's own code is an error), then runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/sandbox-up.sh
scripts/lint.sh
# A compiler warning in the project's own targets fails the build (Package.swift); dependencies' do not.
export OMS_WARNINGS_AS_ERRORS=1
swift build --build-tests
swift test --skip-build "$@"
