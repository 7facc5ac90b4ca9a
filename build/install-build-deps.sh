#!/usr/bin/env bash
# Installs every Debian package listed in //DEPS. Idempotent: when everything is present
# it only asks dpkg and returns in well under a second.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mapfile -t packages < <(grep -v '^[[:space:]]*#' "$root/DEPS" | awk 'NF {print $1}')

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-build-deps: installing ${#missing[@]} package(s): ${missing[*]}"
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "install-build-deps: not root and no sudo; install these yourself:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -qq; then
  echo "install-build-deps: 'apt-get update' failed; check the network and apt sources." >&2
  exit 1
fi
# Services shipped by nginx and dnsmasq must not start on install: tests start their
# own instances from explicit config files.
policy_rc=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  policy_rc=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy_rc" >/dev/null
  $sudo chmod +x "$policy_rc"
fi
status=0
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
[[ -n "$policy_rc" ]] && $sudo rm -f "$policy_rc"
if [[ $status -ne 0 ]]; then
  echo "install-build-deps: 'apt-get install' failed (exit $status) for: ${missing[*]}" >&2
  exit $status
fi
echo "install-build-deps: done"
