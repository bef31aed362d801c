#!/usr/bin/env bash
# Builds MailScope and runs its main job: the desktop GUI when there is a display, otherwise the
# headless transcript of the same run. Installs missing Debian packages first.
# Extra arguments go to the program that runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${GUI_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target mailscope mailscope-gui
if [ -n "${DISPLAY:-}" ]; then
  status=0
  build/default/gui/mailscope-gui "$@" || status=$?
  # 2 means no usable display; anything else is the GUI's own answer.
  [ "$status" -eq 2 ] || exit "$status"
fi
echo "No display: running the default lesson headless and printing its transcript." >&2
exec build/default/sim/cli/mailscope run "$@"
