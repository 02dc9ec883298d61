#!/usr/bin/env bash
# Builds oms-upgrade-bench in release (scratch path .build-release), makes sure the sandbox is up,
# and runs it: MetaDump's prune, backup, restore and snapshot rollback side by side with the upgrade
# guide's commands, mysqldump and mydumper/myloader. The table goes to stdout, progress to stderr.
#
# Usage: scripts/bench.sh [--quick] [--only prune,backup,restore,rollback]
#   --quick   smaller data (1M-row heartbeat prune, 30k-row metadata) for a smoke run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/sandbox-up.sh >&2
swift build -c release --scratch-path .build-release --product oms-upgrade-bench >&2
exec .build-release/release/oms-upgrade-bench --root "$PWD" "$@"
