#!/usr/bin/env bash
# Installs the system tools the test suite drives for real (tmux for terminal tests; dbus,
# gnome-keyring and secret-tool for the keychain tests, which run against a real Secret Service;
# PostgreSQL for the sync server's second backend, where the tests start their own throwaway
# cluster), so that `npm install && npm test` works on a fresh Debian machine. Installs only what
# is missing, and only where it can (root with apt-get); elsewhere it says what to install and stops.
set -euo pipefail

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || missing+=(libsecret-tools)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing test tools: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	# Other jobs on the machine may hold the package lock: wait for it rather than fail.
	apt-get -o DPkg::Lock::Timeout=600 update -qq
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	echo "the tests need: ${missing[*]} — install them (e.g. sudo apt-get install ${missing[*]}) and run npm test again" >&2
	exit 1
fi
