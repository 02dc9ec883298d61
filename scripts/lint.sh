#!/usr/bin/env bash
# Lints the tree and fails on any finding:
#   - `swift format lint --strict` over Swift sources (style in .swift-format);
#   - shellcheck over every shell script git tracks.
# Usage: scripts/lint.sh [--fix]   (--fix: `swift format` the Swift sources in place first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift_paths=(Package.swift Sources Tests Benchmarks)
if [[ ${1:-} == --fix ]]; then
    swift format format --in-place --recursive --parallel "${swift_paths[@]}"
fi

status=0
echo "lint.sh: swift format lint" >&2
swift format lint --strict --recursive --parallel "${swift_paths[@]}" || status=1

command -v shellcheck >/dev/null || { echo "lint.sh: shellcheck not found: run scripts/sandbox-up.sh" >&2; exit 1; }
mapfile -t scripts < <(git ls-files -z | xargs -0 grep -lIE '^#!(/usr/bin/env |/bin/)(ba)?sh' --)
echo "lint.sh: shellcheck (${#scripts[@]} scripts)" >&2
shellcheck --external-sources "${scripts[@]}" || status=1

((status == 0)) && echo "lint.sh: no findings" >&2
exit "$status"
