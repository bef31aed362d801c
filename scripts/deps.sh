#!/usr/bin/env bash
# Debian 12 packages MailScope needs, and a function that installs the missing ones.
# Sourced by scripts/run.sh and scripts/test.sh; nothing here runs on its own.

BUILD_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config
  libpcap-dev libcli11-dev nlohmann-json3-dev libboost-dev libssl-dev
)
GUI_PACKAGES=(
  libimgui-dev libglfw3-dev libgl-dev fonts-dejavu-core
)
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev
  tshark xvfb xauth chromium
  python3 swaks curl dnsutils openssl
)

# Installs every named package that is not installed yet, without asking questions.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  # tshark asks whether non-root users may capture; answer "no" up front.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
