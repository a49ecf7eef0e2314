#!/usr/bin/env bash
# Installs the Debian packages HardwareMaster needs to build, run and test.
# Idempotent: does nothing when everything is present. Uses sudo when not root.
set -euo pipefail
packages=(libasound2 libasound2-plugins alsa-utils libportaudio2 libebur128-1 libsoxr0 fonts-dejavu-core jackd2 sox ffmpeg)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
