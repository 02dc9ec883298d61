#!/usr/bin/env bash
# Lints the tree and fails on any finding:
#   - `swift format lint --strict` over Swift sources (style in .swift-format; Sources/.swift-format adds
#     the rules against force unwraps and `try!`);
#   - shellcheck over every shell script git tracks;
#   - every test tagged .mariadb or .docker also takes .integration (README: Quick start).
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

# Sources/.swift-format is .swift-format with the rules against force unwraps and `try!` turned on
# (swift format reads the nearest one; Tests keep them off): nothing else may differ.
echo "lint.sh: Sources/.swift-format follows .swift-format" >&2
force_rules='"(NeverForceUnwrap|NeverUseForceTry)"'
if ! diff <(grep -vE "$force_rules" .swift-format) <(grep -vE "$force_rules" Sources/.swift-format) >&2 ||
    [[ $(grep -cE "$force_rules: true" Sources/.swift-format) != 2 ]]; then
    echo "lint.sh: Sources/.swift-format must be .swift-format with NeverForceUnwrap and NeverUseForceTry true" >&2
    status=1
fi

command -v shellcheck >/dev/null || { echo "lint.sh: shellcheck not found: run scripts/sandbox-up.sh" >&2; exit 1; }
mapfile -t scripts < <(git ls-files -z | xargs -0 grep -lIE '^#!(/usr/bin/env |/bin/)(ba)?sh' --)
echo "lint.sh: shellcheck (${#scripts[@]} scripts)" >&2
shellcheck --external-sources "${scripts[@]}" || status=1

# A sandbox test without .integration blocks the cooperative pool the code under test needs.
echo "lint.sh: sandbox tests take .integration" >&2
if untraited=$(git grep -nE '\.tags\([^)]*\.(mariadb|docker)' -- 'Tests/*.swift' | grep -v '\.integration'); then
    echo "$untraited" >&2
    echo "lint.sh: add .integration beside these tags (Tests/SandboxSupport/IntegrationTrait.swift)" >&2
    status=1
fi

((status == 0)) && echo "lint.sh: no findings" >&2
exit "$status"
