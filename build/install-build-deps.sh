#!/usr/bin/env bash
# Installs every Debian package listed in //DEPS, and the npm packages of
# //tools/har/package-lock.json (the HAR schema validator the tests run) when npm is
# there. Idempotent: when everything is present it only asks dpkg and returns in well
# under a second.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# `npm ci` again only when the lock file changed since the last install. Without npm
# the HAR schema test skips and says why.
install_node_modules() {
  local dir="$root/tools/har"
  command -v npm >/dev/null || return 0
  if [[ -f "$dir/node_modules/.package-lock.json" &&
        ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    return 0
  fi
  echo "install-build-deps: npm ci in tools/har"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "install-build-deps: 'npm ci' failed in tools/har; the HAR schema test will skip." >&2
  fi
}
mapfile -t packages < <(grep -v '^[[:space:]]*#' "$root/DEPS" | awk 'NF {print $1}')

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  install_node_modules
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
install_node_modules
echo "install-build-deps: done"
