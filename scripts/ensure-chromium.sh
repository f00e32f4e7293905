#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through playwright-core; never a browser download.
# Installs it with apt when it is missing (root on CI and dev machines here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
# Test files run in parallel and each may call this: one installs, the others wait for it.
exec 9>"${TMPDIR:-/tmp}/updown-apt-install.lock"
flock 9
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Chromium missing: installing Debian's chromium package" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version >&2
