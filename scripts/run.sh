#!/usr/bin/env bash
# Builds MailScope and runs its main job: the built-in demo, printed as a transcript.
# Installs missing Debian packages first. Extra arguments go to `mailscope`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${GUI_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target mailscope
exec build/default/sim/cli/mailscope "$@"
