#!/usr/bin/env bash
# The cross-server tus lock is tested against Debian's redis-server, started by the tests
# themselves (random port, no persistence). Installs it with apt when it is missing.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
# Test files run in parallel and each may call this: one installs, the others wait for it.
exec 9>"${TMPDIR:-/tmp}/updown-apt-install.lock"
flock 9
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
echo "redis-server missing: installing Debian's redis-server package" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
redis-server --version >&2
