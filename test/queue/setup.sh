#!/usr/bin/env bash
# Idempotent setup of the queue-mode test: Postgres (initdb, postgres) and redis-server from
# Debian's packages when missing (CI is a clean machine running as root), then n8n 2.41.1 on
# Node 24 in test/e2e/node_modules (test/e2e/setup.sh). Seconds when everything is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tag='[queue setup]'

have_postgres() {
	[ -n "${PG_BIN:-}" ] || command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

missing=()
have_postgres || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		echo "$tag missing ${missing[*]}: install them (Debian: apt-get install -y ${missing[*]})" >&2
		exit 1
	fi
	echo "$tag installing ${missing[*]} from Debian's packages"
	# the test starts its own cluster on a free port: the package's default one is not needed
	mkdir -p /etc/postgresql-common
	[ -e /etc/postgresql-common/createcluster.conf ] ||
		echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
have_postgres && command -v redis-server >/dev/null
echo "$tag Postgres and Redis present ($(redis-server --version | cut -d' ' -f3))"

bash test/e2e/setup.sh
