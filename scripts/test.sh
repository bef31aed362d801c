#!/usr/bin/env bash
# Builds MailScope twice (default, then AddressSanitizer + UBSan) and runs the whole test suite
# in both builds. Installs missing Debian packages first. Exit status 0 only if everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
ensure_packages "${BUILD_PACKAGES[@]}" "${GUI_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

jobs=$(nproc)
for preset in default asan; do
  echo "=== ${preset} build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== ${preset} tests"
  ctest --preset "$preset" -j "$jobs"
done
