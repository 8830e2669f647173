#!/usr/bin/env bash
# Installs the system pieces the tests need when they are missing: Debian's redis-server (tests start
# their own instances on free ports) and Debian's chromium (browser tests of the theme).
# Node.js 24 itself comes from the npm registry as a devDependency ("node"), so `npm ci` brings it.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} from Debian's packages"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "setup: redis-server $(redis-server --version | awk '{print $3}'), $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
