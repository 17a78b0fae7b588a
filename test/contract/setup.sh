#!/usr/bin/env bash
# Installs Stoplight Prism for the contract test into test/contract/prism (its own package.json,
# lockfile and .npmrc with ignore-scripts), once: the root package's devDependencies stay lean.
set -euo pipefail
cd "$(dirname "$0")/prism"
if [ ! -x node_modules/.bin/prism ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
