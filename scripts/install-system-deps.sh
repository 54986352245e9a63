#!/usr/bin/env bash
# Debian/Ubuntu libraries Qt needs on a bare machine (offscreen and under Xvfb). Installs only what is missing.
set -euo pipefail
packages=(libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core
          libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-shape0 libxcb-xinerama0 libxkbcommon-x11-0
          libxcb-randr0 libxcb-render-util0 libxcb-image0 xvfb xauth)
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "not a Debian-style system: install the Qt runtime libraries with your package manager" >&2
    exit 0
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
