#!/usr/bin/env bash
# Idempotent setup of the local registry for the install tests: Verdaccio (pinned in
# package.json + package-lock.json) into test/registry/node_modules with `npm ci`, only when it
# is missing or another version. It runs on the system Node (Verdaccio 6.8 supports Node 20).
# .npmrc has ignore-scripts=true: Verdaccio needs no install script. The certificate of the
# registry.npmjs.org stand-in comes from openssl; the editor step needs Debian's chromium: both
# are installed here with apt-get when missing (CI is a clean machine).
# First time about 40 s, then instant.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
tag='[registry setup]'
want=$(node -p 'require("./package.json").dependencies.verdaccio')
if [ -f node_modules/verdaccio/package.json ] &&
	[ "$(node -p 'require("./node_modules/verdaccio/package.json").version')" = "$want" ]; then
	echo "$tag verdaccio $want present"
else
	echo "$tag npm ci (verdaccio $want)"
	start=$(date +%s)
	npm ci --no-audit --no-fund --loglevel=error
	echo "$tag npm ci took $(($(date +%s) - start)) s"
fi
# openssl makes the stand-in's certificate; chromium runs the editor step (CHROMIUM_PATH)
missing=()
command -v openssl >/dev/null || missing+=(openssl)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	echo "$tag apt-get install ${missing[*]}"
	apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
