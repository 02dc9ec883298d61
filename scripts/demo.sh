#!/usr/bin/env bash
# The main job on the local sandbox: stands up an OMS 3.2.2 fixture deployment the way the vendor
# guide does, then upgrades it to 3.3.0 with oms-upgrade and prints the plan and the timeline.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/sandbox-up.sh
swift build -c release --product oms-upgrade
bin="$(swift build -c release --show-bin-path)/oms-upgrade"

scripts/deploy-fixture.sh --name oms_322 --replace --heartbeat-rows "${HEARTBEAT_ROWS:-100000}"
"$bin" --help
